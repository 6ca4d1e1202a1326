#!/usr/bin/env python3
"""The native reference: the same Qwen2.5 shape (random weights) in PyTorch on CUDA, eager (no torch.compile, no
CUDA graphs), batch 1, through `generate()` as an application would call it, and through a bare decode loop.

    torch_ref.py SHAPE [dtype=float16] [prompt=512] [new=256] [runs=3]      SHAPE: 0.5b | 1.5b | test
Prints one line `RESULT {json}` per measurement.
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_llm import SHAPES  # noqa: E402


class Clock:
    """generate() calls put() with the prompt, then with each new token (after copying it to the host)."""

    def __init__(self):
        self.times = []

    def put(self, _value):
        self.times.append(time.perf_counter())

    def end(self):
        pass


def main():
    from transformers import Qwen2Config, Qwen2ForCausalLM
    shape = sys.argv[1]
    dtype = getattr(torch, sys.argv[2] if len(sys.argv) > 2 else 'float16')
    prompt, new, runs = (int(a) for a in (sys.argv[3:6] + ['512', '256', '3'][len(sys.argv[3:6]):]))
    s = SHAPES[shape]
    config = Qwen2Config(hidden_size=s['hidden'], num_hidden_layers=s['layers'], num_attention_heads=s['heads'],
                         num_key_value_heads=s['kv_heads'], intermediate_size=s['inter'], vocab_size=s['vocab'],
                         tie_word_embeddings=True, rope_theta=1000000.0, rms_norm_eps=1e-6, max_position_embeddings=32768,
                         eos_token_id=s['vocab'] - 1, pad_token_id=s['vocab'] - 1, bos_token_id=None)
    torch.manual_seed(0)
    torch.set_default_device('cuda')
    t0 = time.perf_counter()
    model = Qwen2ForCausalLM(config).to(dtype).eval()
    torch.set_default_device('cpu')
    load_ms = (time.perf_counter() - t0) * 1000
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())  # tied head: the embedding is read whole
    ids = ((torch.arange(prompt) * 7919 + 13) % (s['vocab'] - 2)).unsqueeze(0).cuda()
    mask = torch.ones_like(ids)
    common = {'device': torch.cuda.get_device_name(0), 'torch': torch.__version__, 'dtype': str(dtype).replace('torch.', ''),
              'attention': model.config._attn_implementation, 'model': f'qwen2.5-{shape}-shape', 'promptTokens': prompt,
              'newTokens': new, 'weightBytesPerToken': weight_bytes, 'loadMs': round(load_ms)}

    def generate(tokens):
        clock = Clock()
        with torch.inference_mode():
            model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False,
                           eos_token_id=s['vocab'] - 1, pad_token_id=s['vocab'] - 1, streamer=clock)
        torch.cuda.synchronize()
        start, first, *after = clock.times
        return (first - start) * 1000, ((after[-1] if after else first) - first) * 1000, len(after)

    generate(8)
    timed = [generate(new) for _ in range(runs)]
    prefill_ms = sorted(t[0] for t in timed)[runs // 2]
    decode_ms = sorted(t[1] for t in timed)[runs // 2]
    decoded = timed[0][2]
    print('RESULT ' + json.dumps({'bench': 'llm', 'runtime': 'pytorch-cuda-eager generate()', **common,
                                   'prefillMs': round(prefill_ms, 1), 'prefillTokensPerSecond': round(prompt / prefill_ms * 1000, 1),
                                   'decodeTokensPerSecond': round(decoded / decode_ms * 1000, 1),
                                   'msPerDecodedToken': round(decode_ms / decoded, 2),
                                   'runs': [{'prefillMs': round(a, 1), 'decodeMs': round(b, 1)} for a, b, _ in timed]}), flush=True)

    # A bare loop: forward with the cache, argmax, no generate() machinery (what eager PyTorch can do at best).
    def loop(tokens):
        with torch.inference_mode():
            torch.cuda.synchronize()
            t = time.perf_counter()
            out = model(input_ids=ids, attention_mask=mask, use_cache=True, logits_to_keep=1)
            nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            nxt.item()
            t1 = time.perf_counter()
            cache, m = out.past_key_values, mask
            for _ in range(tokens - 1):
                m = torch.cat([m, torch.ones_like(nxt)], dim=1)
                out = model(input_ids=nxt, attention_mask=m, past_key_values=cache, use_cache=True)
                cache = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
                nxt.item()  # the host needs each token, as a streaming app does
            t2 = time.perf_counter()
        return (t1 - t) * 1000, (t2 - t1) * 1000, tokens - 1

    loop(8)
    timed = [loop(new) for _ in range(runs)]
    prefill_ms = sorted(t[0] for t in timed)[runs // 2]
    decode_ms = sorted(t[1] for t in timed)[runs // 2]
    print('RESULT ' + json.dumps({'bench': 'llm', 'runtime': 'pytorch-cuda-eager loop', **common,
                                   'prefillMs': round(prefill_ms, 1), 'prefillTokensPerSecond': round(prompt / prefill_ms * 1000, 1),
                                   'decodeTokensPerSecond': round((new - 1) / decode_ms * 1000, 1),
                                   'msPerDecodedToken': round(decode_ms / (new - 1), 2)}), flush=True)


if __name__ == '__main__':
    main()

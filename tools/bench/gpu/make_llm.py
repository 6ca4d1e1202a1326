#!/usr/bin/env python3
"""A decoder-only LLM of Qwen2.5's real shape with random weights, as the ONNX file Transformers.js loads.

Written with numpy and onnx alone (no torch export), so it builds the same on any Python:
    make_llm.py OUT_DIR SHAPE DTYPE[,DTYPE…]      SHAPE: 0.5b | 1.5b | test;  DTYPE: q4 | q4f16 | fp16 | fp32

The graph is what Optimum-style exports hold: embedding Gather, per layer RMSNorm (as primitive ops), q/k/v
projections with bias, rotary embedding, grouped-query attention over the concatenated cache, SwiGLU MLP, and a
tied LM head; `num_logits_to_keep` lets generation compute only the last position's logits. For q4 / q4f16 every
projection (and the LM head) is a `com.microsoft::MatMulNBits` (4 bits, blocks of 32, symmetric), whose random
nibbles and scales give weights of about N(0, 0.02): the bytes read per token are those of a real q4 export.
q4 keeps activations, the embedding and the cache in fp32; q4f16 in fp16 (what Transformers.js recommends on WebGPU).
Each file is one protobuf, so under 2 GB: fp32 fits the test shape only, fp16 the 0.5B shape.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SHAPES = {
    # https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/config.json (shape only)
    '0.5b': dict(hidden=896, layers=24, heads=14, kv_heads=2, inter=4864, vocab=151936),
    '1.5b': dict(hidden=1536, layers=28, heads=12, kv_heads=2, inter=8960, vocab=151936),
    # A few megabytes, to check the graph against Transformers.js anywhere.
    'test': dict(hidden=64, layers=2, heads=4, kv_heads=2, inter=128, vocab=512),
}
HEAD_DIM_OF = lambda s: s['hidden'] // s['heads']  # noqa: E731
ROPE_THETA = 1000000.0
EPS = 1e-6
BLOCK = 32
SUFFIX = {'q4': '_q4', 'q4f16': '_q4f16', 'fp16': '_fp16', 'fp32': ''}


def build(shape, dtype, rng):
    s = SHAPES[shape]
    D, L, H, KV, I, V = s['hidden'], s['layers'], s['heads'], s['kv_heads'], s['inter'], s['vocab']
    hd, rep = HEAD_DIM_OF(s), s['heads'] // s['kv_heads']
    half = dtype in ('q4f16', 'fp16')
    quant = dtype in ('q4', 'q4f16')
    npt = np.float16 if half else np.float32
    T = TensorProto.FLOAT16 if half else TensorProto.FLOAT
    inits, nodes, n = [], [], [0]

    def init(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(values, dt=np.int64):
        n[0] += 1
        return init(f'c{n[0]}', np.array(values, dtype=dt))

    def node(op, ins, outs=1, domain=None, **attrs):
        n[0] += 1
        names = [f'{op}_{n[0]}_{i}' for i in range(outs)]
        nodes.append(helper.make_node(op, ins, names, name=f'{op}_{n[0]}', domain=domain, **attrs))
        return names[0] if outs == 1 else names

    def weight(name, k, out):
        """x[..., k] @ W[k, out] as MatMulNBits (q4) or MatMul; returns a function of x."""
        if quant:
            blocks = k // BLOCK
            packed = rng.integers(0, 256, size=(out, blocks, BLOCK // 2), dtype=np.uint8)
            # Symmetric 4-bit (zero point 8): values -8..7 × scale; std of (u - 8) over uniform u is ~4.6.
            scales = (0.02 / 4.6 * (0.75 + 0.5 * rng.random(out * blocks, dtype=np.float32))).astype(npt)
            b, sc = init(f'{name}.qweight', packed), init(f'{name}.scales', scales)
            return lambda x: node('MatMulNBits', [x, b, sc], domain='com.microsoft', K=k, N=out, bits=4, block_size=BLOCK)
        w = init(f'{name}.weight', (rng.standard_normal((k, out), dtype=np.float32) * 0.02).astype(npt))
        return lambda x: node('MatMul', [x, w])

    def rms(x, name):
        w = init(f'{name}.weight', np.ones(D, dtype=npt))
        # Mean of squares in fp32 even for fp16 models (as exports do), so long sums do not overflow.
        x32 = node('Cast', [x], to=TensorProto.FLOAT) if half else x
        var = node('ReduceMean', [node('Mul', [x32, x32])], axes=[-1], keepdims=1)
        inv = node('Reciprocal', [node('Sqrt', [node('Add', [var, init(f'{name}.eps', np.array(EPS, np.float32))])])])
        y = node('Mul', [x32, inv])
        if half:
            y = node('Cast', [y], to=TensorProto.FLOAT16)
        return node('Mul', [y, w])

    # Inputs
    inputs = [
        helper.make_tensor_value_info('input_ids', TensorProto.INT64, ['batch_size', 'sequence_length']),
        helper.make_tensor_value_info('attention_mask', TensorProto.INT64, ['batch_size', 'total_sequence_length']),
        helper.make_tensor_value_info('position_ids', TensorProto.INT64, ['batch_size', 'sequence_length']),
    ]
    outputs = [helper.make_tensor_value_info('logits', T, ['batch_size', 'logits_length', V])]
    for i in range(L):
        for kind in ('key', 'value'):
            inputs.append(helper.make_tensor_value_info(f'past_key_values.{i}.{kind}', T, ['batch_size', KV, 'past_sequence_length', hd]))
            outputs.append(helper.make_tensor_value_info(f'present.{i}.{kind}', T, ['batch_size', KV, 'total_sequence_length', hd]))
    inputs.append(helper.make_tensor_value_info('num_logits_to_keep', TensorProto.INT64, []))

    embed = (rng.standard_normal((V, D), dtype=np.float32) * 0.02).astype(npt)
    x = node('Gather', [init('embed_tokens.weight', embed), 'input_ids'], axis=0)

    # Rotary tables from the positions: cos/sin [B, 1, S, hd]
    inv_freq = (1.0 / ROPE_THETA ** (np.arange(0, hd, 2, dtype=np.float32) / hd)).astype(np.float32)
    pos = node('Unsqueeze', [node('Cast', ['position_ids'], to=TensorProto.FLOAT), const([-1])])
    freqs = node('Mul', [pos, init('inv_freq', inv_freq)])
    emb = node('Unsqueeze', [node('Concat', [freqs, freqs], axis=-1), const([1])])
    cos, sin = node('Cos', [emb]), node('Sin', [emb])
    if half:
        cos, sin = node('Cast', [cos], to=T), node('Cast', [sin], to=T)

    # Mask [B, 1, rep·S, T]: causal (query s sits at past + s) and the attention mask; rows tiled per head group.
    total = node('Gather', [node('Shape', ['attention_mask']), const(1)], axis=0)
    seq = node('Gather', [node('Shape', ['input_ids']), const(1)], axis=0)
    past = node('Sub', [total, seq])
    keys = node('Unsqueeze', [node('Range', [const(0), total, const(1)]), const([0])])
    queries = node('Unsqueeze', [node('Range', [past, total, const(1)]), const([1])])
    causal = node('Unsqueeze', [node('LessOrEqual', [keys, queries]), const([0, 1])])
    padded = node('Unsqueeze', [node('Cast', ['attention_mask'], to=TensorProto.BOOL), const([1, 2])])
    allowed = node('Tile', [node('And', [causal, padded]), const([1, 1, rep, 1])])
    neg = init('mask_min', np.array(-65504.0 if half else -3.4e38, dtype=npt))
    scale = init('attn_scale', np.array(1.0 / np.sqrt(hd), dtype=npt))

    def rotate(t):
        a, b = node('Split', [t], outs=2, axis=-1)
        rot = node('Concat', [node('Neg', [b]), a], axis=-1)
        return node('Add', [node('Mul', [t, cos]), node('Mul', [rot, sin])])

    def heads(t, count):
        return node('Transpose', [node('Reshape', [t, const([0, 0, count, hd])])], perm=[0, 2, 1, 3])

    for i in range(L):
        p = f'layers.{i}'
        h = rms(x, f'{p}.input_layernorm')
        q = node('Add', [weight(f'{p}.q_proj', D, H * hd)(h), init(f'{p}.q_proj.bias', np.zeros(H * hd, npt))])
        k = node('Add', [weight(f'{p}.k_proj', D, KV * hd)(h), init(f'{p}.k_proj.bias', np.zeros(KV * hd, npt))])
        v = node('Add', [weight(f'{p}.v_proj', D, KV * hd)(h), init(f'{p}.v_proj.bias', np.zeros(KV * hd, npt))])
        q, k, v = rotate(heads(q, H)), rotate(heads(k, KV)), heads(v, KV)
        nodes.append(helper.make_node('Concat', [f'past_key_values.{i}.key', k], [f'present.{i}.key'], axis=2))
        nodes.append(helper.make_node('Concat', [f'past_key_values.{i}.value', v], [f'present.{i}.value'], axis=2))
        # Grouped-query attention without copying K/V: q's heads [kv·rep + r] → [B, KV, rep·S, hd].
        qg = node('Reshape', [q, const([0, KV, -1, hd])])
        scores = node('Mul', [node('MatMul', [qg, node('Transpose', [f'present.{i}.key'], perm=[0, 1, 3, 2])]), scale])
        probs = node('Softmax', [node('Where', [allowed, scores, neg])], axis=-1)
        ctx = node('Reshape', [node('MatMul', [probs, f'present.{i}.value']), const([0, H, -1, hd])])
        ctx = node('Reshape', [node('Transpose', [ctx], perm=[0, 2, 1, 3]), const([0, 0, D])])
        x = node('Add', [x, weight(f'{p}.o_proj', D, D)(ctx)])
        h = rms(x, f'{p}.post_attention_layernorm')
        gate, up = weight(f'{p}.gate_proj', D, I)(h), weight(f'{p}.up_proj', D, I)(h)
        act = node('Mul', [node('Mul', [gate, node('Sigmoid', [gate])]), up])
        x = node('Add', [x, weight(f'{p}.down_proj', I, D)(act)])

    x = rms(x, 'norm')
    # Only the last `num_logits_to_keep` positions (0: all).
    start = node('Neg', [node('Unsqueeze', ['num_logits_to_keep', const([0])])])
    x = node('Slice', [x, start, const([np.iinfo(np.int64).max]), const([1])])
    if quant:
        head = weight('lm_head', D, V)(x)
    else:  # tied: the embedding, transposed
        head = node('MatMul', [x, init('lm_head.weight', np.ascontiguousarray(embed.T))])
    nodes.append(helper.make_node('Identity', [head], ['logits']))

    graph = helper.make_graph(nodes, f'qwen2-{shape}-random-{dtype}', inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid('com.microsoft', 1)],
                              producer_name='slm-elements gpu bench')
    model.ir_version = 8
    return model


def config(shape):
    s = SHAPES[shape]
    return {
        'architectures': ['Qwen2ForCausalLM'], 'model_type': 'qwen2', 'hidden_size': s['hidden'], 'num_hidden_layers': s['layers'],
        'num_attention_heads': s['heads'], 'num_key_value_heads': s['kv_heads'], 'intermediate_size': s['inter'],
        'vocab_size': s['vocab'], 'max_position_embeddings': 32768, 'rms_norm_eps': EPS, 'rope_theta': ROPE_THETA,
        'tie_word_embeddings': True, 'hidden_act': 'silu', 'bos_token_id': None, 'eos_token_id': s['vocab'] - 1,
        'pad_token_id': s['vocab'] - 1, 'use_cache': True, 'torch_dtype': 'bfloat16',
    }


def main():
    out, shape = sys.argv[1], sys.argv[2]
    dtypes = sys.argv[3].split(',') if len(sys.argv) > 3 else ['q4f16']
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    with open(os.path.join(out, 'config.json'), 'w') as f:
        json.dump(config(shape), f, indent=2)
    with open(os.path.join(out, 'generation_config.json'), 'w') as f:
        json.dump({'eos_token_id': SHAPES[shape]['vocab'] - 1, 'do_sample': False}, f)
    for dtype in dtypes:
        model = build(shape, dtype, np.random.default_rng(1234))
        path = os.path.join(out, 'onnx', f'model{SUFFIX[dtype]}.onnx')
        onnx.save(model, path)
        # Bytes a decode step reads: every weight (the head included), but only one row of the embedding table.
        sizes = {t.name: len(t.raw_data) for t in model.graph.initializer}
        per_token = sum(sizes.values()) - sizes['embed_tokens.weight'] + sizes['embed_tokens.weight'] // SHAPES[shape]['vocab']
        print('RESULT ' + json.dumps({'bench': 'model', 'model': os.path.basename(os.path.normpath(out)), 'dtype': dtype,
                                      'fileBytes': os.path.getsize(path), 'weightBytesPerToken': per_token}), flush=True)


if __name__ == '__main__':
    main()

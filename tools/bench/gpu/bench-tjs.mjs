// Transformers.js in Node on one device: LLM prefill / decode tokens per second, or Whisper's real-time factor.
//   node bench-tjs.mjs llm MODELS_DIR MODEL_ID DEVICE DTYPE [prompt=512] [new=256] [runs=3]
//   node bench-tjs.mjs asr MODELS_DIR MODEL_ID DEVICE DTYPE WAV [seconds=30] [runs=3]
// Prints one JSON line (prefixed RESULT) per configuration. On `webgpu` this is onnxruntime-node's WebGPU EP
// (Dawn → Vulkan): the ONNX graphs and WGSL kernels of the browser build, without the browser around them.
import { readFileSync } from 'node:fs';

// A dynamic import, as everywhere in this project (the library is large), though here it is needed at once.
const { AutoModelForCausalLM, Tensor, env, pipeline } = await import('@huggingface/transformers');
const [kind, dir, id, device, dtype, ...rest] = process.argv.slice(2);
env.localModelPath = dir;
env.allowRemoteModels = false;
env.allowLocalModels = true;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Stamps the time of every `put`: the prompt first, then each new token as it is sampled (logits read back). */
class Clock {
  times = [];
  put() {
    this.times.push(performance.now());
  }
  end() {}
}

async function llm() {
  const [promptLength = 512, newTokens = 256, runs = 3] = rest.map(Number);
  const t0 = performance.now();
  const model = await AutoModelForCausalLM.from_pretrained(id, { device, dtype });
  const loadMs = performance.now() - t0;
  const vocab = model.config.vocab_size;
  // A fixed pseudo-random prompt of ordinary (non-special) token ids.
  const ids = BigInt64Array.from({ length: promptLength }, (_, i) => BigInt((i * 7919 + 13) % (vocab - 2)));
  const inputs = {
    input_ids: new Tensor('int64', ids, [1, promptLength]),
    attention_mask: new Tensor('int64', new BigInt64Array(promptLength).fill(1n), [1, promptLength]),
  };
  const once = async (tokens) => {
    const clock = new Clock();
    await model.generate({ ...inputs, max_new_tokens: tokens, min_new_tokens: tokens, do_sample: false, streamer: clock });
    const [start, first, ...after] = clock.times;
    const last = after.at(-1) ?? first;
    return { prefillMs: first - start, decodeMs: last - first, decoded: after.length, totalMs: last - start };
  };
  const t1 = performance.now();
  await once(8); // shader compilation and first allocations, for both the prompt's and one token's shapes
  const warmupMs = performance.now() - t1;
  const timed = [];
  for (let i = 0; i < runs; i++) timed.push(await once(newTokens));
  const prefillMs = median(timed.map((r) => r.prefillMs));
  const decodeMs = median(timed.map((r) => r.decodeMs));
  const decoded = timed[0].decoded;
  await model.dispose();
  return {
    bench: 'llm', runtime: 'transformers.js', model: id, device, dtype, promptTokens: promptLength, newTokens,
    loadMs: Math.round(loadMs), warmupMs: Math.round(warmupMs),
    prefillMs: round(prefillMs), prefillTokensPerSecond: round((promptLength / prefillMs) * 1000),
    decodeTokensPerSecond: round((decoded / decodeMs) * 1000), msPerDecodedToken: round(decodeMs / decoded, 2),
    runs: timed.map((r) => ({ prefillMs: round(r.prefillMs), decodeMs: round(r.decodeMs), totalMs: round(r.totalMs) })),
  };
}

/** 16-bit PCM mono WAV → Float32Array in [-1, 1]. */
function readWav(path) {
  const buffer = readFileSync(path);
  let offset = 12;
  while (offset < buffer.length - 8) {
    const chunk = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (chunk === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buffer.readInt16LE(offset + 8 + i * 2) / 32768;
      return samples;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

async function asr() {
  const [wav, secondsArg = '30', runsArg = '3'] = rest;
  const seconds = Number(secondsArg);
  const runs = Number(runsArg);
  // The clip repeated to `seconds` of audio (one 30 s window at 30).
  const clip = readWav(wav);
  const audio = new Float32Array(Math.round(seconds * 16000));
  for (let i = 0; i < audio.length; i++) audio[i] = clip[i % clip.length];
  const t0 = performance.now();
  const recogniser = await pipeline('automatic-speech-recognition', id, { device, dtype });
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  await recogniser(audio, { max_new_tokens: 440 });
  const warmupMs = performance.now() - t1;
  const times = [];
  let text = '';
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    text = (await recogniser(audio, { max_new_tokens: 440 })).text;
    times.push(performance.now() - start);
  }
  const ms = median(times);
  const tokens = recogniser.tokenizer.encode(text, { add_special_tokens: false }).length;
  await recogniser.dispose();
  return {
    bench: 'asr', runtime: 'transformers.js', model: id, device, dtype, audioSeconds: seconds, loadMs: Math.round(loadMs),
    warmupMs: Math.round(warmupMs), medianMs: round(ms), realTimeFactor: round(ms / 1000 / seconds, 4), textTokens: tokens,
    runsMs: times.map((t) => round(t)),
  };
}

try {
  const result = kind === 'llm' ? await llm() : await asr();
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (error) {
  console.log(`RESULT ${JSON.stringify({ bench: kind, runtime: 'transformers.js', model: id, device, dtype, error: String(error?.stack ?? error).slice(0, 1500) })}`);
  process.exitCode = 1;
}
process.exit();

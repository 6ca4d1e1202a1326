// Our engine's path in Node, for comparison with bench-tjs.mjs's `model.generate` called directly:
// SlmEngine (placement, scheduler, model slot) → TransformersLlmBackend → WorkerClient → our
// Transformers.js worker module in a worker thread, over our message protocol, with the tokens
// streamed back as in the browser and timed where they arrive, on the main thread.
//   node bench-engine.mjs MODELS_DIR MODEL_ID DEVICE DTYPE [prompt=512] [new=256] [runs=3]
// DEVICE `webgpu` (onnxruntime-node's WebGPU EP) or `cpu` (smoke runs). Prints one RESULT line, as
// bench-tjs.mjs does, with `runtime: "slm-engine"`. Bundled by build.mjs; it does not run from here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlmEngine } from '../../../../src/engine/slm-engine.js';
import { TransformersLlmBackend } from '../../../../src/engine/backends/transformers-backend.js';
import { serveModels } from './model-server.mjs';
import { NodeWorker } from './node-worker.mjs';
import { promptOfLength, tokenizerFiles } from './tokenizer.mjs';

const [dir, id, device, dtype, ...rest] = process.argv.slice(2);
const [promptLength = 512, newTokens = 256, runs = 3] = rest.map(Number);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * What the planner reads of the GPU. Node has no `navigator.gpu`; onnxruntime-node makes its own
 * device in the worker, so this only says that there is one (the H200 through Dawn's Vulkan
 * backend; shader-f16 as onnxruntime asks Dawn for it).
 */
function describeGpu() {
  const adapter = {
    info: { vendor: 'nvidia', architecture: '', description: 'onnxruntime-node WebGPU EP (Dawn, Vulkan)', isFallbackAdapter: false },
    features: new Set(['shader-f16']),
    limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 },
  };
  Object.defineProperty(navigator, 'gpu', { value: { requestAdapter: async () => adapter }, configurable: true });
}

async function llm() {
  const config = JSON.parse(readFileSync(`${dir}/${id}/config.json`, 'utf8'));
  const host = await serveModels(dir, { [id]: tokenizerFiles(config.vocab_size) });
  const webgpu = device === 'webgpu';
  if (webgpu) describeGpu();
  const worker = new URL('./transformers.worker.mjs', import.meta.url);
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-engine-cache-'));
  const threadOptions = { backends: webgpu ? {} : { wasm: device }, cacheDir };
  const engine = new SlmEngine({
    llm: `slm-bench/${id}`,
    llmDtype: dtype,
    // The CPU smoke run: the planner's `wasm`, which the worker's Transformers.js runs as `cpu` in Node.
    device: webgpu ? 'webgpu' : 'wasm',
    modelHost: host.url,
    useBrowserCache: false,
    integrityManifest: false,
    backendFactory: {
      llm: (_placement, settings) => new TransformersLlmBackend(() => new NodeWorker(worker, threadOptions), settings),
    },
  });
  try {
    const t0 = performance.now();
    await engine.load(['llm']);
    const loadMs = performance.now() - t0;
    const placement = engine.state('llm').placement;
    const messages = promptOfLength(promptLength);
    const once = async (tokens) => {
      const arrivals = [];
      const start = performance.now();
      // Greedy, and the whole prompt read every time (the worker would otherwise reuse the last run's cache).
      const result = await engine.generate(messages, { maxTokens: tokens, temperature: 0, reusePrefix: false, onToken: () => arrivals.push(performance.now()) });
      const end = performance.now();
      const { stats } = result;
      if (stats.promptTokens !== promptLength) throw new Error(`the prompt was ${stats.promptTokens} tokens, not ${promptLength}`);
      const [first = end, last = end] = [arrivals[0], arrivals.at(-1)];
      // The first message carries the first token alone (the worker sends at once after a quiet spell).
      return {
        prefillMs: first - start, decodeMs: last - first, decoded: stats.completionTokens - 1, totalMs: end - start,
        messages: arrivals.length, workerTtftMs: stats.timeToFirstTokenMs, workerDecodeTokensPerSecond: stats.decodeTokensPerSecond,
      };
    };
    const t1 = performance.now();
    await once(8); // shader compilation and first allocations for the prompt's shape (the load warmed up a 1-token prompt)
    const warmupMs = performance.now() - t1;
    const timed = [];
    for (let i = 0; i < runs; i++) timed.push(await once(newTokens));
    const prefillMs = median(timed.map((r) => r.prefillMs));
    const decodeMs = median(timed.map((r) => r.decodeMs));
    const decoded = timed[0].decoded;
    return {
      bench: 'llm', runtime: 'slm-engine', model: id, device, dtype, promptTokens: promptLength, newTokens,
      path: 'SlmEngine → TransformersLlmBackend → WorkerClient → transformers.worker (worker_threads)',
      placement: placement && { backend: placement.backend, dtype: placement.dtype, reason: placement.reason },
      loadMs: Math.round(loadMs), warmupMs: Math.round(warmupMs), completionTokens: decoded + 1,
      prefillMs: round(prefillMs), prefillTokensPerSecond: round((promptLength / prefillMs) * 1000),
      decodeTokensPerSecond: round((decoded / decodeMs) * 1000), msPerDecodedToken: round(decodeMs / decoded, 2),
      // The worker's own clock: the prompt from its arrival (template, tokens, cache lookup, prefill), decoding inside it.
      worker: {
        timeToFirstTokenMs: round(median(timed.map((r) => r.workerTtftMs))),
        decodeTokensPerSecond: round(median(timed.map((r) => r.workerDecodeTokensPerSecond))),
      },
      runs: timed.map((r) => ({ prefillMs: round(r.prefillMs), decodeMs: round(r.decodeMs), totalMs: round(r.totalMs), decoded: r.decoded, tokenMessages: r.messages })),
    };
  } finally {
    await engine.dispose();
    host.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

try {
  console.log(`RESULT ${JSON.stringify(await llm())}`);
} catch (error) {
  console.log(`RESULT ${JSON.stringify({ bench: 'llm', runtime: 'slm-engine', model: id, device, dtype, error: String(error?.stack ?? error).slice(0, 1500) })}`);
  process.exitCode = 1;
}
process.exit();

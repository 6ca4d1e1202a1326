import { expect } from '@open-wc/testing';
import { phaseFromWebLlmReport } from '../../src/engine/backends/webllm-backend.js';
import { toSlmError, type WebLlmPhase } from '../../src/engine/backends/webllm-errors.js';
import { SlmError, type SlmErrorCode } from '../../src/errors/slm-error.js';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const url = `http://127.0.0.1:8765/mlc-ai/${MODEL}/resolve/main/params_shard_3.bin`;

/**
 * What WebLLM 0.2.86 and Chromium really throw (texts from WebLLM's lib/index.js and from
 * this Chromium), mostly as strings: WebLLM's worker client rejects with `String(error)`.
 */
const cases: Array<[string, unknown, WebLlmPhase, SlmErrorCode]> = [
  ['WebGPU missing', 'WebGPUNotAvailableError: WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine. Please make sure that your browser supports WebGPU and that it is enabled in your browser settings.', 'load', 'webgpu-unavailable'],
  ['no adapter', named('WebGPUNotFoundError', 'Cannot find WebGPU in the environment'), 'load', 'webgpu-unavailable'],
  ['navigator.gpu undefined', new TypeError("Cannot read properties of undefined (reading 'requestAdapter')"), 'load', 'webgpu-unavailable'],
  ['no shader-f16', 'ShaderF16SupportError: This model requires WebGPU extension shader-f16, which is not enabled in this browser. You can try to launch Chrome Canary in command line with flag "--enable-dawn-features=allow_unsafe_apis".', 'load', 'webgpu-unavailable'],
  ['device lost in reload', 'DeviceLostError: The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.', 'load', 'out-of-memory'],
  ['device lost while generating', 'Error: Device was lost. This can happen due to insufficient memory or other GPU constraints. Detailed error: [object GPUDeviceLostInfo]. Please try to reload WebLLM with a less resource-intensive model.', 'generate', 'device-lost'],
  ['buffer too large', "Error: Buffer size (4294967296) exceeds the max buffer size limit (2147483648). - While calling [Device].CreateBuffer([BufferDescriptor ''params''])", 'load', 'out-of-memory'],
  ['GPU out of memory', 'GPUOutOfMemoryError: Out of memory', 'generate', 'out-of-memory'],
  ['wasm heap', new RangeError('Array buffer allocation failed'), 'load', 'out-of-memory'],
  ['404 through the Cache API', "TypeError: Failed to execute 'add' on 'Cache': Request failed", 'load', 'model-file-missing'],
  ['404 through IndexedDB', `Error: Failed to store ${url} with error: Error: Network response was not ok`, 'load', 'model-file-missing'],
  ['404 through OPFS', `Error: ArtifactOPFSCache: Unable to fetch ${url}, received status 404`, 'load', 'model-file-missing'],
  ['no answer', new TypeError('Failed to fetch'), 'load', 'model-host-unreachable'],
  ['no answer through IndexedDB', `Error: Failed to store ${url} with error: TypeError: Failed to fetch`, 'load', 'model-host-unreachable'],
  ['unload during reload', 'Engine.unload() is called.', 'load', 'aborted'],
  ['record missing', `ModelNotFoundError: Cannot find model record in appConfig for ${MODEL}. Please check if the model ID is correct and included in the model_list configuration.`, 'load', 'unknown-model'],
  ['tampered file', `IntegrityError: Integrity verification failed for ${url}`, 'load', 'model-load-failed'],
  ['prompt too long', 'ContextWindowSizeExceededError: Prompt tokens exceed context window size: number of prompt tokens: 5120; context window size: 4096', 'generate', 'invalid-argument'],
  ['assistant last', 'MessageOrderError: Last message should be from either `user` or `tool`.', 'generate', 'invalid-argument'],
  ['bad schema', 'GrammarMatcherInitError: Failed to initialize the grammar matcher for response format `json_object`: Invalid JSON schema', 'generate', 'invalid-argument'],
  ['client not loaded', named('WorkerEngineModelNotLoadedError', 'WebWorkerMLCEngine is not loaded with a model. Did you call `engine.reload()`?'), 'generate', 'not-loaded'],
  ['a fetch failing mid-answer is not a host problem', 'TypeError: Failed to fetch', 'generate', 'generation-failed'],
  ['anything else while loading', new Error('InternalError: Check failed: (fmap.count(name)) is false'), 'load', 'model-load-failed'],
  ['anything else while generating', 'Error: InternalError: something broke in the decoder', 'generate', 'generation-failed'],
];

describe('toSlmError', () => {
  for (const [name, error, phase, code] of cases) {
    it(`${name} → ${code}`, () => {
      expect(toSlmError(error, phase, MODEL).code).to.equal(code);
    });
  }

  it('keeps the model, the original error, and WebLLM’s words', () => {
    const original = "TypeError: Failed to execute 'add' on 'Cache': Request failed";
    const error = toSlmError(original, 'load', MODEL);
    expect(error.modelId).to.equal(MODEL);
    expect(error.cause).to.equal(original);
    expect(error.message).to.include(MODEL).and.include(original);
  });

  it('tells the person what to try when memory runs out', () => {
    expect(toSlmError('Error: Out of memory', 'load', MODEL).message).to.match(/smaller model/);
  });

  it('passes an SlmError through untouched', () => {
    const error = new SlmError('worker-crashed', 'gone');
    expect(toSlmError(error, 'generate', MODEL)).to.equal(error);
  });
});

describe('phaseFromWebLlmReport', () => {
  // Built exactly as WebLLM 0.2.86 builds them (lib/index.js, fetchTensorCacheInternal, shader loading, reloadInternal).
  const fetching = (i: number, n: number, mb: number, secs: number) =>
    `Fetching param cache[${i}/${n}]: ${mb}MB fetched. ${Math.floor((i * 100) / n)}% completed, ${secs} secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`;
  const fromCache = (i: number, n: number, mb: number, secs: number) => `Loading model from cache[${i}/${n}]: ${mb}MB loaded. ${Math.floor((i * 100) / n)}% completed, ${secs} secs elapsed.`;
  const shaders = (i: number, n: number, secs: number) => `Loading GPU shader modules[${i}/${n}]: ${Math.floor((i * 100) / n)}% completed, ${secs} secs elapsed.`;
  const report = (text: string, progress: number) => phaseFromWebLlmReport({ text, progress, timeElapsed: 1 });

  it('reads each of WebLLM’s steps as a phase', () => {
    expect(report('Start to fetch params', 0)).to.deep.equal({ type: 'phase', phase: 'download', fraction: 0, text: 'Start to fetch params' });
    expect(report(fetching(12, 50, 384, 10), 0.24).phase).to.equal('download');
    expect(report(fromCache(3, 50, 96, 1), 0.06).phase).to.equal('compile');
    expect(report(shaders(12, 48, 3), 0.25).phase).to.equal('compile');
    expect(report('Finish loading on WebGPU - google', 1)).to.include({ phase: 'warmup', fraction: 1 });
  });

  it('places each step’s own 0→1 progress within the whole load', () => {
    expect(report(fetching(12, 50, 384, 10), 0.24).fraction).to.equal(0.18);
    expect(report(fetching(50, 50, 1600, 40), 1).fraction).to.equal(0.75);
    expect(report(fromCache(3, 50, 96, 1), 0.06).fraction).to.equal(0.759);
    expect(report(shaders(12, 48, 3), 0.25).fraction).to.equal(0.9225);
  });

  it('never moves backwards over a whole first visit', () => {
    const steps: Array<[string, number]> = [
      ['Start to fetch params', 0],
      [fetching(1, 2, 32, 1), 0.5],
      [fetching(2, 2, 64, 2), 1],
      [fromCache(1, 2, 32, 2), 0.5],
      [fromCache(2, 2, 64, 3), 1],
      [shaders(1, 2, 3), 0.5],
      [shaders(2, 2, 4), 1],
      ['Finish loading on WebGPU - google', 1],
    ];
    const fractions = steps.map(([text, progress]) => report(text, progress).fraction!);
    expect(fractions).to.deep.equal([...fractions].sort((a, b) => a - b));
    expect(new Set(fractions).size).to.equal(fractions.length);
  });

  it('survives WebLLM’s 0/0 progress when a model has no parameter bytes', () => {
    expect(report('Start to fetch params', NaN).fraction).to.equal(0);
  });

  it('passes an unknown line on as text, with no fraction to mislead a progress bar', () => {
    expect(report('Loading tokenizer', 0.3)).to.deep.equal({ type: 'phase', phase: 'download', text: 'Loading tokenizer' });
  });
});

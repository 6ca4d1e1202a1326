import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { BackendProgress } from '../../src/engine/backends/backend.js';
import { WebLlmBackend, recordForHost } from '../../src/engine/backends/webllm-backend.js';
import type { ModelHostConfig, ModelPlacement, ModelPreset } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { FAKE_DECODE_TOKENS_PER_S, FAKE_PREFILL_TOKENS_PER_S, FakeMLCEngine, fakeEngineFactory, type FakeMlcOptions } from '../fakes/fake-mlc-engine.js';
import { browserRequests, modelHostRequests, modelHostUrl, resetModelHost } from '../support/model-host.js';
import { recordFault } from '../support/faults.js';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
/** A context-limited variant whose weights live in the full model's repo. */
const MODEL_1K = 'Phi-3.5-mini-instruct-q4f32_1-MLC-1k';
const hub: ModelHostConfig = { host: 'https://huggingface.co', wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true };
const mirror: ModelHostConfig = { ...hub, host: 'https://models.example.org/' };

const preset: ModelPreset = {
  id: 'qwen2.5-0.5b',
  kind: 'llm',
  label: 'Qwen2.5 0.5B Instruct',
  runtime: 'webllm',
  modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
  modelIdF32: MODEL,
  downloadBytes: 280e6,
  memoryBytes: 1060e6,
  license: 'Apache-2.0',
  goodFor: 'tests',
};

function placement(modelId = MODEL): ModelPlacement {
  return { kind: 'llm', preset, runtime: 'webllm', backend: 'webgpu', dtype: 'q4f32', modelId, reason: 'the test asks for it' };
}

/** WebLLM's own records for the models these tests load, read from the installed package. */
let modelList: ModelRecord[];
const record = (modelId: string) => modelList.find((r) => r.model_id === modelId)!;

before(async () => {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  modelList = prebuiltAppConfig.model_list.filter((r) => [MODEL, MODEL_1K].includes(r.model_id));
  expect(modelList).to.have.length(2);
});

async function loaded(fake: FakeMlcOptions = {}, host = hub) {
  const engine = new FakeMLCEngine(fake);
  const factory = fakeEngineFactory(engine);
  const backend = new WebLlmBackend({ createEngine: factory, modelList });
  const progress: Array<Extract<BackendProgress, { type: 'phase' }>> = [];
  await backend.load({ placement: placement(), host, onProgress: (p) => progress.push(p as (typeof progress)[number]) });
  return { engine, factory, backend, progress };
}

const failure = (work: Promise<unknown>) =>
  work.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => {
      expect(error).to.be.instanceOf(SlmError);
      return error as SlmError;
    },
  );

/** Records every Worker the page starts, and whether it was terminated. */
function spyOnWorkers(onStart?: () => void) {
  const realWorker = globalThis.Worker;
  const workers: Array<{ url: string; terminated: boolean }> = [];
  globalThis.Worker = class extends realWorker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      const entry = { url: String(args[0]), terminated: false };
      workers.push(entry);
      const terminate = this.terminate.bind(this);
      this.terminate = () => {
        entry.terminated = true;
        terminate();
      };
      onStart?.();
    }
  };
  return { workers, restore: () => void (globalThis.Worker = realWorker) };
}

const ask = [{ role: 'user' as const, content: 'Summarise the consultation.' }];
const requestOf = (engine: FakeMLCEngine, n = 0) => engine.calls.filter((c) => c.method === 'chatCompletion')[n].args[0] as Record<string, unknown>;
/** Consecutive repeats folded: the order of phases. */
const phaseOrder = (progress: Array<{ phase: string }>) => progress.map((p) => p.phase).filter((phase, i, all) => phase !== all[i - 1]);

describe('WebLlmBackend, loading (against a faithful fake of WebLLM)', () => {
  it('reports download, then compile, then warm-up, with a fraction that only rises, from 0 to 1', async () => {
    const { progress } = await loaded({ shards: 5, shaderModules: 4 });
    expect(phaseOrder(progress)).to.deep.equal(['download', 'compile', 'warmup']);
    const fractions = progress.map((p) => p.fraction!);
    expect(fractions[0]).to.equal(0);
    expect(fractions.at(-1)).to.equal(1);
    fractions.slice(1).forEach((f, i) => expect(f, `report ${i + 1}: ${progress[i + 1].text}`).to.be.at.least(fractions[i]));
    expect(progress.filter((p) => p.phase === 'download').at(-1)!.text).to.match(/^Fetching param cache\[5\/5\]: 160MB fetched\. 100% completed, \d+ secs elapsed\./);
  });

  it('goes straight from "start" to preparing when the weights are already cached', async () => {
    const { progress } = await loaded({ cached: true });
    expect(progress.filter((p) => p.phase === 'download').map((p) => p.text)).to.deep.equal(['Start to fetch params']);
    expect(phaseOrder(progress)).to.deep.equal(['download', 'compile', 'warmup']);
  });

  it('hands WebLLM exactly one record, unchanged for the Hugging Face hub, cached with the Cache API', async () => {
    const { factory } = await loaded();
    expect(factory.calls).to.have.length(1);
    expect(factory.calls[0].modelId).to.equal(MODEL);
    expect(factory.calls[0].appConfig).to.deep.equal({ model_list: [record(MODEL)], cacheBackend: 'cache' });
  });

  it('moves weights and model library to a self-hosted mirror, in the Hugging Face layout', async () => {
    const { factory } = await loaded({}, mirror);
    const original = record(MODEL);
    const moved = factory.calls[0].appConfig.model_list[0];
    expect(moved.model).to.equal(`https://models.example.org/mlc-ai/${MODEL}`);
    const libFile = original.model_lib.split('/binary-mlc-llm-libs/main/')[1];
    expect(libFile).to.match(/^web-llm-models\/.+\.wasm$/);
    expect(moved.model_lib).to.equal(`https://models.example.org/mlc-ai/binary-mlc-llm-libs/resolve/main/${libFile}`);
    expect({ ...moved, model: original.model, model_lib: original.model_lib }).to.deep.equal(original);
  });

  it('stops reporting and unloads when the load is cancelled half-way', async () => {
    const engine = new FakeMLCEngine({ shards: 20, stepDelayMs: 5 });
    const backend = new WebLlmBackend({ createEngine: fakeEngineFactory(engine), modelList });
    const controller = new AbortController();
    const progress: BackendProgress[] = [];
    const onProgress = (p: BackendProgress) => {
      progress.push(p);
      if (progress.length === 3) controller.abort();
    };
    const error = await failure(backend.load({ placement: placement(), host: hub, onProgress, signal: controller.signal }));
    expect(error.code).to.equal('aborted');
    expect(engine.calls.map((c) => c.method)).to.include('unload');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(progress).to.have.length(3);
    expect(engine.loadedModel).to.equal(null);
  });

  it('unloads an engine that arrives after the load was cancelled, and reports nothing more', async () => {
    const engine = new FakeMLCEngine({ stepDelayMs: 5 });
    const fakeFactory = fakeEngineFactory(engine);
    // A factory that cannot stop half-way, as CreateWebWorkerMLCEngine cannot.
    const createEngine = (modelId: string, config: Parameters<typeof fakeFactory>[1]) => fakeFactory(modelId, { ...config, signal: undefined });
    const backend = new WebLlmBackend({ createEngine, modelList });
    const controller = new AbortController();
    const progress: BackendProgress[] = [];
    const onProgress = (p: BackendProgress) => {
      progress.push(p);
      if (progress.length === 2) controller.abort();
    };
    const error = await failure(backend.load({ placement: placement(), host: hub, onProgress, signal: controller.signal }));
    expect(error.code).to.equal('aborted');
    while (!engine.calls.some((c) => c.method === 'unload')) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(progress).to.have.length(2);
    expect(engine.loadedModel).to.equal(null);
  });

  it('refuses a model WebLLM does not know without making an engine', async () => {
    const factory = fakeEngineFactory(new FakeMLCEngine());
    const backend = new WebLlmBackend({ createEngine: factory, modelList });
    const error = await failure(backend.load({ placement: placement('Not-A-Model-q4f32_1-MLC'), host: hub, onProgress: () => undefined }));
    expect(error.code).to.equal('unknown-model');
    expect(error.modelId).to.equal('Not-A-Model-q4f32_1-MLC');
    expect(factory.calls).to.have.length(0);
  });

  it('reports running out of GPU memory while compiling shaders as out-of-memory', async () => {
    const oom = new Error('Out of memory: failed to allocate a buffer of 2147483648 bytes');
    const error = await failure(loaded({ failReloadWith: oom, failReloadDuring: 'shaders' }));
    expect(error.code).to.equal('out-of-memory');
    expect(error.message).to.match(/smaller model/);
    // It crossed WebLLM's worker, which passes errors on as their text.
    expect(error.cause).to.equal('Error: Out of memory: failed to allocate a buffer of 2147483648 bytes');
  });

  it('reports WebLLM losing the device while loading weights as out-of-memory', async () => {
    const lost = Object.assign(
      new Error('The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.'),
      { name: 'DeviceLostError' },
    );
    expect((await failure(loaded({ failReloadWith: lost, failReloadDuring: 'load' }))).code).to.equal('out-of-memory');
  });

  it('tells a missing file from an unreachable host, in Chromium’s own words', async () => {
    const missing = new TypeError("Failed to execute 'add' on 'Cache': Request failed");
    expect((await failure(loaded({ failReloadWith: missing }, mirror))).code).to.equal('model-file-missing');
    expect((await failure(loaded({ failReloadWith: new TypeError('Failed to fetch') }, mirror))).code).to.equal('model-host-unreachable');
  });

  it('never starts WebLLM’s worker when an engine factory is given', async () => {
    const spy = spyOnWorkers();
    try {
      const { backend } = await loaded();
      await backend.generate(ask);
      await backend.unload();
    } finally {
      spy.restore();
    }
    expect(spy.workers).to.deep.equal([]);
  });
});

describe('recordForHost', () => {
  it('keeps the repo of a -1k record, which shares the full-context model’s weights', () => {
    const original = record(MODEL_1K);
    expect(original.model).to.equal('https://huggingface.co/mlc-ai/Phi-3.5-mini-instruct-q4f32_1-MLC');
    expect(recordForHost(original, 'https://models.example.org').model).to.equal('https://models.example.org/mlc-ai/Phi-3.5-mini-instruct-q4f32_1-MLC');
  });

  it('makes a relative host absolute, because WebLLM’s worker cannot resolve it', () => {
    expect(recordForHost(record(MODEL), '/models/').model).to.equal(`${location.origin}/models/mlc-ai/${MODEL}`);
  });

  it('treats the hub with a trailing slash as the hub', () => {
    expect(recordForHost(record(MODEL), 'https://huggingface.co/')).to.equal(record(MODEL));
  });
});

describe('WebLlmBackend, generating (against a faithful fake of WebLLM)', () => {
  it('streams the tokens in order and returns the text they make', async () => {
    const script = ['The', ' patient', ' reports', ' a', ' dry', ' cough', '.'];
    const { backend } = await loaded({ script });
    const pieces: string[] = [];
    const result = await backend.generate(ask, { onToken: (t) => pieces.push(t) });
    expect(pieces).to.deep.equal(script);
    expect(result.text).to.equal('The patient reports a dry cough.');
    expect(result.finishReason).to.equal('stop');
  });

  it('turns WebLLM’s usage into stats, and measures the time to the first token itself', async () => {
    const script = ['No', ' fever', '.'];
    const { backend } = await loaded({ script, tokenDelayMs: 40 });
    const { stats } = await backend.generate(ask);
    expect(stats.completionTokens).to.equal(script.length);
    expect(stats.promptTokens).to.be.greaterThan(0);
    expect(stats.prefillTokensPerSecond).to.equal(FAKE_PREFILL_TOKENS_PER_S);
    expect(stats.decodeTokensPerSecond).to.equal(FAKE_DECODE_TOKENS_PER_S);
    expect(stats.timeToFirstTokenMs).to.be.within(35, 1000);
  });

  it('asks for a streamed answer with usage, greedy and bounded unless told otherwise', async () => {
    const { backend, engine } = await loaded();
    await backend.generate(ask);
    await backend.generate(ask, { maxTokens: 64, temperature: 0.7 });
    const [first, second] = [requestOf(engine, 0), requestOf(engine, 1)];
    expect(first).to.deep.equal({ messages: ask, stream: true, stream_options: { include_usage: true }, max_tokens: 512, temperature: 0 });
    expect(second).to.include({ max_tokens: 64, temperature: 0.7 });
  });

  it('stops at maxTokens with finishReason "length"', async () => {
    const { backend } = await loaded({ script: ['a', 'b', 'c', 'd', 'e'] });
    const result = await backend.generate(ask, { maxTokens: 2 });
    expect(result.text).to.equal('ab');
    expect(result.finishReason).to.equal('length');
    expect(result.stats.completionTokens).to.equal(2);
  });

  it('asks WebLLM for JSON matching a schema, sent as a string', async () => {
    const { backend, engine } = await loaded({ script: ['{"temperature":', ' 38.2}'] });
    const schema = { type: 'object', properties: { temperature: { type: 'number' } }, required: ['temperature'] };
    const result = await backend.generate(ask, { jsonSchema: schema });
    const format = requestOf(engine).response_format as { type: string; schema: unknown };
    expect(format.type).to.equal('json_object');
    expect(format.schema).to.be.a('string');
    expect(JSON.parse(format.schema as string)).to.deep.equal(schema);
    expect(JSON.parse(result.text)).to.deep.equal({ temperature: 38.2 });
  });

  it('interrupts WebLLM on abort, having delivered only the tokens before it, and frees the model', async () => {
    const script = Array.from({ length: 40 }, (_, i) => `t${i} `);
    const { backend, engine } = await loaded({ script, tokenDelayMs: 3 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const onToken = (t: string) => {
      pieces.push(t);
      if (pieces.length === 3) controller.abort();
    };
    const error = await failure(backend.generate(ask, { signal: controller.signal, onToken }));
    expect(error.code).to.equal('aborted');
    expect(engine.calls.map((c) => c.method)).to.include('interruptGenerate');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(pieces).to.deep.equal(script.slice(0, 3));
    // WebLLM keeps a model locked until the stream ends; the next request must still run.
    const next = await backend.generate(ask, { maxTokens: 2 });
    expect(next.text).to.equal('t0 t1 ');
  });

  it('rejects at once when aborted during a slow prefill, without waiting for the first token', async () => {
    const { backend, engine } = await loaded({ script: ['late'], tokenDelayMs: 400 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(backend.generate(ask, { signal: controller.signal, onToken: (t) => pieces.push(t) }));
    expect(error.code).to.equal('aborted');
    expect(performance.now() - started).to.be.below(300);
    expect(engine.calls.map((c) => c.method)).to.include('interruptGenerate');
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(pieces).to.deep.equal([]);
  });

  it('does not start when the signal has already fired', async () => {
    const { backend, engine } = await loaded();
    const error = await failure(backend.generate(ask, { signal: AbortSignal.abort() }));
    expect(error.code).to.equal('aborted');
    expect(engine.calls.filter((c) => c.method === 'chatCompletion')).to.have.length(0);
  });

  it('reports a device lost mid-answer as device-lost, after the tokens that made it', async () => {
    const lost = new Error('Device was lost. This can happen due to insufficient memory or other GPU constraints. Detailed error: [object GPUDeviceLostInfo]. Please try to reload WebLLM with a less resource-intensive model.');
    const { backend } = await loaded({ script: ['a', 'b', 'c'], failStreamAfter: { tokens: 2, error: lost } });
    const pieces: string[] = [];
    const error = await failure(backend.generate(ask, { onToken: (t) => pieces.push(t) }));
    expect(error.code).to.equal('device-lost');
    expect(pieces).to.deep.equal(['a', 'b']);
    await recordFault('the GPU device is lost while WebLLM streams', 'device-lost', { code: error.code, lost: null });
  });

  it('reports a request WebLLM refuses as invalid-argument', async () => {
    const { backend } = await loaded();
    const error = await failure(backend.generate([...ask, { role: 'assistant', content: 'Sure:' }]));
    expect(error.code).to.equal('invalid-argument');
    expect(error.message).to.match(/Last message should be from either `user` or `tool`/);
  });

  it('unloads WebLLM’s model, after which it is not loaded', async () => {
    const { backend, engine } = await loaded();
    await backend.unload();
    expect(engine.calls.at(-1)!.method).to.equal('unload');
    expect(engine.loadedModel).to.equal(null);
    expect((await failure(backend.generate(ask))).code).to.equal('not-loaded');
  });
});

describe('WebLlmBackend with WebLLM’s own worker', () => {
  beforeEach(() => resetModelHost());

  it('fetches from the model host in the Hugging Face layout and reports a missing file', async () => {
    const host = await modelHostUrl();
    await browserRequests(true);
    const spy = spyOnWorkers();
    const backend = new WebLlmBackend({ modelList });
    const error = await failure(backend.load({ placement: placement(), host: { ...hub, host }, onProgress: () => undefined })).finally(spy.restore);
    expect(error.code, error.message).to.equal('model-file-missing');
    expect(spy.workers).to.have.length(1);
    expect(spy.workers[0].url).to.match(/\/src\/engine\/workers\/webllm\.worker\.js$/);
    expect(spy.workers[0].terminated, 'a failed load leaves no worker behind').to.equal(true);
    const paths = (await modelHostRequests()).map((r) => r.path);
    expect(paths).to.include(`/mlc-ai/${MODEL}/resolve/main/mlc-chat-config.json`);
    expect((await browserRequests()).filter((url) => /huggingface\.co|githubusercontent\.com/.test(url))).to.deep.equal([]);
  });

  it('ends WebLLM’s worker when the load is cancelled', async () => {
    const controller = new AbortController();
    // Cancelled as soon as the worker exists, while WebLLM is starting in it.
    const spy = spyOnWorkers(() => queueMicrotask(() => controller.abort()));
    const backend = new WebLlmBackend({ modelList });
    const load = backend.load({ placement: placement(), host: { ...hub, host: await modelHostUrl() }, onProgress: () => undefined, signal: controller.signal });
    const error = await failure(load).finally(spy.restore);
    expect(error.code).to.equal('aborted');
    expect(spy.workers.map((w) => w.terminated)).to.deep.equal([true]);
  });

  it('reports a host nothing answers on as unreachable', async () => {
    const backend = new WebLlmBackend({ modelList });
    const error = await failure(backend.load({ placement: placement(), host: { ...hub, host: 'http://127.0.0.1:9' }, onProgress: () => undefined }));
    expect(error.code, error.message).to.equal('model-host-unreachable');
  });
});

import { expect } from '@open-wc/testing';
import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import type { BackendProgress } from '../../src/engine/backends/backend.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import { phaseFromWebLlmReport } from '../../src/engine/backends/webllm-progress.js';
import { buildModelRegistry } from '../../src/engine/models/model-registry.js';
import type { ModelHostConfig, ModelPlacement } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { FakeMLCEngine, fakeEngineFactory, type FakeMlcOptions } from '../fakes/fake-mlc-engine.js';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const modelList = prebuiltAppConfig.model_list as ModelRecord[];
const hub: ModelHostConfig = { host: 'https://huggingface.co', wasmPaths: '/ort/', useBrowserCache: true };

function placement(modelId = MODEL): ModelPlacement {
  const preset = buildModelRegistry(modelList).resolve('llm', 'qwen2.5-0.5b');
  return { kind: 'llm', preset, runtime: 'webllm', backend: 'webgpu', dtype: 'q4f32', modelId, reason: 'test' };
}

async function loaded(fake: FakeMlcOptions = {}, host = hub) {
  const engine = new FakeMLCEngine(fake);
  const factory = fakeEngineFactory(engine);
  const backend = new WebLlmBackend({ createEngine: factory, modelList });
  const progress: BackendProgress[] = [];
  await backend.load({ placement: placement(), host, onProgress: (p) => progress.push(p) });
  return { engine, factory, backend, progress };
}

describe('WebLlmBackend (against a faithful fake MLCEngine)', () => {
  it('reports loading as download, then compile, then warm-up, with a rising fraction', async () => {
    const { progress } = await loaded();
    const phases = progress.map((p) => (p.type === 'phase' ? p.phase : 'file'));
    expect(phases[0]).to.equal('download');
    expect(phases.indexOf('compile')).to.be.greaterThan(phases.lastIndexOf('download'));
    expect(phases.at(-1)).to.equal('warmup');
    const fractions = progress.map((p) => (p.type === 'phase' ? (p.fraction ?? 0) : 0));
    expect(fractions).to.deep.equal([...fractions].sort((a, b) => a - b));
  });

  it('leaves WebLLM’s URLs alone for the hub and moves weights and libraries to a mirror', async () => {
    const hubLoad = await loaded();
    const original = modelList.find((r) => r.model_id === MODEL)!;
    expect(hubLoad.factory.calls[0].appConfig.model_list[0].model).to.equal(original.model);

    const mirror = await loaded({}, { ...hub, host: 'https://models.example.org/' });
    const record = mirror.factory.calls[0].appConfig.model_list[0];
    expect(record.model).to.equal(`https://models.example.org/mlc-ai/${MODEL}`);
    expect(record.model_lib).to.match(/^https:\/\/models\.example\.org\/mlc-ai\/binary-mlc-llm-libs\/resolve\/main\/web-llm-models\/.+\.wasm$/);
    expect(mirror.factory.calls[0].appConfig.model_list).to.have.length(1);
  });

  it('streams the tokens in order and turns usage into stats', async () => {
    const script = ['The', ' patient', ' reports', ' a', ' cough', '.'];
    const { backend } = await loaded({ script });
    const pieces: string[] = [];
    const result = await backend.generate([{ role: 'user', content: 'Summarise' }], { onToken: (t) => pieces.push(t) });
    expect(pieces).to.deep.equal(script);
    expect(result.text).to.equal(script.join(''));
    expect(result.finishReason).to.equal('stop');
    expect(result.stats.completionTokens).to.equal(script.length);
    expect(result.stats.decodeTokensPerSecond).to.equal(40);
    expect(result.stats.prefillTokensPerSecond).to.equal(500);
  });

  it('stops at maxTokens with finishReason "length"', async () => {
    const { backend } = await loaded({ script: ['a', 'b', 'c', 'd', 'e'] });
    const result = await backend.generate([{ role: 'user', content: 'x' }], { maxTokens: 2 });
    expect(result.text).to.equal('ab');
    expect(result.finishReason).to.equal('length');
  });

  it('interrupts WebLLM on abort, having delivered only the tokens before it', async () => {
    const script = Array.from({ length: 50 }, (_, i) => `t${i} `);
    const { backend, engine } = await loaded({ script, tokenDelayMs: 2 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const error = await backend
      .generate([{ role: 'user', content: 'x' }], { signal: controller.signal, onToken: (t) => pieces.push(t) === 3 && controller.abort() })
      .catch((e: unknown) => e);
    expect((error as SlmError).code).to.equal('aborted');
    expect(engine.calls.some((c) => c.method === 'interruptGenerate')).to.equal(true);
    expect(pieces.length).to.be.within(3, 4);
    expect(pieces).to.deep.equal(script.slice(0, pieces.length));
  });

  it('asks WebLLM for JSON that matches a schema', async () => {
    const { backend, engine } = await loaded({ script: ['{"a":1}'] });
    const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
    await backend.generate([{ role: 'user', content: 'x' }], { jsonSchema: schema });
    const request = engine.calls.find((c) => c.method === 'chatCompletion')!.args[0] as { response_format: { type: string; schema: string } };
    expect(request.response_format.type).to.equal('json_object');
    expect(JSON.parse(request.response_format.schema)).to.deep.equal(schema);
  });

  it('reports GPU memory exhaustion during load as out-of-memory', async () => {
    const error = await loaded({ failReloadWith: new Error('Device was lost. This can happen due to insufficient memory or other GPU constraints. Detailed error: [object GPUDeviceLostInfo]. Please try to reload WebLLM with a less resource-intensive model.') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SlmError);
    expect(['out-of-memory', 'device-lost']).to.include((error as SlmError).code);
    const oom = await loaded({ failReloadWith: new Error('GPUPipelineError: Out of memory while allocating buffer') }).catch((e: unknown) => e);
    expect((oom as SlmError).code).to.equal('out-of-memory');
  });

  it('reports a missing file and an unreachable host with their own codes', async () => {
    const missing = await loaded({ failReloadWith: new Error('Failed to fetch https://models.example.org/mlc-ai/x/resolve/main/params_shard_3.bin: 404 Not Found') }).catch((e: unknown) => e);
    expect((missing as SlmError).code).to.equal('model-file-missing');
    const unreachable = await loaded({ failReloadWith: new TypeError('Failed to fetch') }).catch((e: unknown) => e);
    expect((unreachable as SlmError).code).to.equal('model-host-unreachable');
  });

  it('rejects a model WebLLM does not know, without making an engine', async () => {
    const engine = new FakeMLCEngine();
    const factory = fakeEngineFactory(engine);
    const backend = new WebLlmBackend({ createEngine: factory, modelList });
    const error = await backend.load({ placement: placement('Not-A-Model-MLC'), host: hub, onProgress: () => undefined }).catch((e: unknown) => e);
    expect((error as SlmError).code).to.equal('unknown-model');
    expect(factory.calls).to.have.length(0);
  });

  it('unloads the engine', async () => {
    const { backend, engine } = await loaded();
    await backend.unload();
    expect(engine.loadedModel).to.equal(null);
    const error = await backend.generate([{ role: 'user', content: 'x' }]).catch((e: unknown) => e);
    expect((error as SlmError).code).to.equal('not-loaded');
  });
});

describe('phaseFromWebLlmReport', () => {
  const report = (text: string, progress = 0.5) => phaseFromWebLlmReport({ text, progress, timeElapsed: 1 });
  it('reads WebLLM’s progress lines', () => {
    expect(report('Fetching param cache[3/50]: 120MB fetched. 6% completed, 4 secs elapsed.').phase).to.equal('download');
    expect(report('Loading model from cache[3/50]: 120MB loaded. 6% completed, 1 secs elapsed.').phase).to.equal('download');
    expect(report('Loading GPU shader modules[12/48]: 25% completed, 3 secs elapsed.').phase).to.equal('compile');
    expect(report('Finish loading on WebGPU - nvidia', 1).phase).to.equal('warmup');
    expect(report('Start to fetch params', 0).fraction).to.equal(0);
  });
});

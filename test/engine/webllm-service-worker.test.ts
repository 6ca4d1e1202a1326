import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import type { AppConfig, InitProgressCallback, ModelRecord } from '@mlc-ai/web-llm';
import type { BackendProgress } from '../../src/engine/backends/backend.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import type { ModelHostConfig, ModelPlacement } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { FakeMLCEngine } from '../fakes/fake-mlc-engine.js';
import { recordFault } from '../support/faults.js';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const hub: ModelHostConfig = { host: 'https://huggingface.co', wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true };
const placement = { kind: 'llm', runtime: 'webllm', backend: 'webgpu', dtype: 'q4f32', modelId: MODEL, reason: 'test' } as unknown as ModelPlacement;

/**
 * What `CreateServiceWorkerMLCEngine` meets in the shared service worker: WebLLM's handler
 * answers a load of the model it already holds at once, without reports; a worker the browser
 * restarted holds nothing, so the model loads again.
 */
function sharedWorker() {
  let engine = new FakeMLCEngine({ cached: true });
  const factory = async (modelId: string, config: { appConfig: AppConfig; initProgressCallback: InitProgressCallback }) => {
    engine.setInitProgressCallback(config.initProgressCallback);
    if (engine.loadedModel !== modelId) {
      engine.setAppConfig(config.appConfig);
      await engine.reload(modelId);
    }
    return engine;
  };
  return {
    factory,
    get engine() {
      return engine;
    },
    /** The browser stops the idle worker: the next one starts empty. */
    stop() {
      engine = new FakeMLCEngine({ cached: true });
    },
  };
}

describe('WebLLM in a shared service worker (webllm-worker="service")', () => {
  let modelList: ModelRecord[];
  before(async () => {
    modelList = (await import('@mlc-ai/web-llm')).prebuiltAppConfig.model_list.filter((r) => r.model_id === MODEL);
  });

  const load = async (backend: WebLlmBackend) => {
    const progress: BackendProgress[] = [];
    await backend.load({ placement, host: hub, onProgress: (p) => progress.push(p) });
    return progress.filter((p): p is Extract<BackendProgress, { type: 'phase' }> => p.type === 'phase');
  };

  it('reconnects after a reload to the model still loaded there, and says so', async () => {
    const worker = sharedWorker();
    const first = new WebLlmBackend({ worker: 'service', createEngine: worker.factory, modelList });
    const firstLoad = await load(first);
    expect(first.connection).to.equal('fresh');
    expect(firstLoad.some((p) => p.phase === 'compile')).to.equal(true);
    expect(firstLoad.at(-1)!.text).to.match(/shared service worker/);

    // The page reloads: a new backend, the same worker.
    const afterReload = new WebLlmBackend({ worker: 'service', createEngine: worker.factory, modelList });
    const secondLoad = await load(afterReload);
    expect(afterReload.connection).to.equal('reconnected');
    expect(secondLoad).to.have.length(1);
    expect(secondLoad[0]!.text).to.match(/Reconnected/);
    const answer = await afterReload.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 4 });
    expect(answer.text.length).to.be.greaterThan(0);
  });

  it('lets go of the shared model on unload without unloading it for the other tabs', async () => {
    const worker = sharedWorker();
    const tab = new WebLlmBackend({ worker: 'service', createEngine: worker.factory, modelList });
    await load(tab);
    await tab.unload();
    expect(worker.engine.loadedModel).to.equal(MODEL);
    expect(worker.engine.calls.map((c) => c.method)).to.not.include('unload');
  });

  it('says the browser stopped the worker, and loads the model again on the next request', async () => {
    const worker = sharedWorker();
    const tab = new WebLlmBackend({ worker: 'service', createEngine: worker.factory, modelList });
    await load(tab);
    worker.stop();
    // The page still talks to the old client; what answers now holds no model.
    (tab as unknown as { engine: FakeMLCEngine }).engine = worker.engine;
    const error = (await tab.generate([{ role: 'user', content: 'Hi' }]).catch((e: unknown) => e)) as SlmError;
    expect(error).to.be.instanceOf(SlmError);
    expect(error.code).to.equal('worker-crashed');
    expect(error.message).to.match(/stopped the shared service worker.*loaded again/);
    const again = await load(tab);
    expect(tab.connection).to.equal('fresh');
    expect(again.at(-1)!.text).to.match(/Loaded into the shared service worker/);
    expect((await tab.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 3 })).text.length).to.be.greaterThan(0);
    await recordFault('the browser stops the shared WebLLM service worker', 'worker-crashed', { code: error.code, lost: null });
  });

  it('counts unanswered keep-alives as a stopped worker before asking it anything', async () => {
    const worker = sharedWorker();
    const tab = new WebLlmBackend({ worker: 'service', createEngine: worker.factory, modelList });
    await load(tab);
    (worker.engine as unknown as { missedHeartbeat: number }).missedHeartbeat = 3;
    const error = (await tab.generate([{ role: 'user', content: 'Hi' }]).catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('worker-crashed');
    expect(worker.engine.calls.map((c) => c.method)).to.not.include('chatCompletion');
  });
});

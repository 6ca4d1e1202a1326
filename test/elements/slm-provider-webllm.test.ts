import { expect, fixture, html } from '@open-wc/testing';
import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import type { DeviceReport, ErrorDetail, LoadProgress } from '../../src/engine/types.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { FakeMLCEngine, fakeEngineFactory, type FakeMlcOptions } from '../fakes/fake-mlc-engine.js';

const modelList = prebuiltAppConfig.model_list as ModelRecord[];

/** A provider whose engine sees a GPU without shader-f16 and runs WebLLM's code against the fake. */
async function providerWithFakeWebLlm(llm: string, fake: FakeMlcOptions = {}) {
  const provider = await fixture<SlmProvider>(html`<slm-provider llm=${llm}></slm-provider>`);
  const gpuReport: DeviceReport = {
    ...(await provider.engine.device()),
    webgpu: { available: true, adapter: { vendor: 'test', architecture: 'test', description: '' }, isFallbackAdapter: false, features: ['timestamp-query'], shaderF16: false, limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 } },
    deviceMemoryGB: 8,
  };
  provider.engine.device = async () => gpuReport;
  const engines: FakeMLCEngine[] = [];
  provider.engine.useBackends({
    llm: () => {
      const engine = new FakeMLCEngine(fake);
      engines.push(engine);
      return new WebLlmBackend({ createEngine: fakeEngineFactory(engine), modelList });
    },
  });
  return { provider, engines };
}

describe('<slm-provider> with a WebLLM model', () => {
  it('picks the q4f32 build on a GPU without shader-f16 and streams through the scheduler', async () => {
    const { provider, engines } = await providerWithFakeWebLlm('qwen2.5-0.5b', { script: ['Dry', ' cough', '.'] });
    const recorder = recordEvents(provider, 'slm-load-progress');
    await provider.load();
    recorder.stop();
    expect(engines[0].loadedModel).to.equal('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    const phases = recorder.events.map((e) => (e.detail as LoadProgress).phase);
    expect(phases).to.include.members(['download', 'compile', 'ready']);
    const result = await provider.engine.generate([{ role: 'user', content: 'Summarise' }]);
    expect(result.text).to.equal('Dry cough.');
  });

  it('reports running out of GPU memory during load, then loads a smaller model', async () => {
    const { provider } = await providerWithFakeWebLlm('phi-3.5-mini', { failReloadWith: new Error('Out of memory: failed to allocate buffer of 2147483648 bytes') });
    const errorEvent = nextEvent<CustomEvent<ErrorDetail>>(provider, 'slm-error');
    await provider.load().catch(() => undefined);
    const { detail } = await errorEvent;
    expect(detail.code).to.equal('out-of-memory');
    expect(detail.message).to.match(/smaller model/);

    provider.engine.useBackends({ llm: () => new WebLlmBackend({ createEngine: fakeEngineFactory(new FakeMLCEngine()), modelList }) });
    provider.llm = 'smollm2-360m';
    await provider.updateComplete;
    await provider.load();
    expect(provider.engine.state('llm').status).to.equal('ready');
    expect(provider.engine.state('llm').placement!.modelId).to.equal('SmolLM2-360M-Instruct-q4f32_1-MLC');
  });
});

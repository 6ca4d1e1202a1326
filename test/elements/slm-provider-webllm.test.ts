import { expect } from '@open-wc/testing';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import type { ErrorDetail, LoadProgress } from '../../src/engine/types.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { FakeMLCEngine, fakeEngineFactory } from '../fakes/fake-mlc-engine.js';
import { modelList, providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { recordFault } from '../support/faults.js';

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
    await recordFault('the GPU runs out of memory while a WebLLM model loads', 'out-of-memory', { code: detail.code, lost: null });
    expect(detail.message).to.match(/smaller model/);

    provider.engine.useBackends({ llm: () => new WebLlmBackend({ createEngine: fakeEngineFactory(new FakeMLCEngine()), modelList }) });
    provider.llm = 'smollm2-360m';
    await provider.updateComplete;
    await provider.load();
    expect(provider.engine.state('llm').status).to.equal('ready');
    expect(provider.engine.state('llm').placement!.modelId).to.equal('SmolLM2-360M-Instruct-q4f32_1-MLC');
  });
});

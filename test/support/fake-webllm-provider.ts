import { fixture, html } from '@open-wc/testing';
import { prebuiltAppConfig, type ModelRecord } from '@mlc-ai/web-llm';
import type { TemplateResult } from 'lit';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import type { DeviceReport } from '../../src/engine/types.js';
import { FakeMLCEngine, fakeEngineFactory, type FakeMlcOptions } from '../fakes/fake-mlc-engine.js';

const modelList = prebuiltAppConfig.model_list as ModelRecord[];

/**
 * A provider whose engine sees a GPU without shader-f16 and runs our WebLLM backend's real
 * code against the fake engine. `children` are rendered inside the provider.
 */
export async function providerWithFakeWebLlm(llm: string, fake: FakeMlcOptions = {}, children?: TemplateResult) {
  const provider = await fixture<SlmProvider>(html`<slm-provider llm=${llm}>${children}</slm-provider>`);
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

export { modelList };

import { expect } from '@open-wc/testing';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { detectDevice } from '../../src/engine/capabilities.js';
import { buildModelRegistry, type WebLlmModelRecord } from '../../src/engine/models/model-registry.js';
import { planPlacement } from '../../src/engine/placement.js';
import { isSoftwareAdapter } from '../../src/engine/software-adapter.js';

describe('detectDevice on SwiftShader WebGPU', () => {
  it('reports a software adapter without shader-f16', async () => {
    const report = await detectDevice();
    expect(report.webgpu.available).to.equal(true);
    expect(report.webgpu.isFallbackAdapter).to.equal(true);
    expect(report.webgpu.adapter!.architecture).to.equal('swiftshader');
    expect(report.webgpu.shaderF16).to.equal(false);
    expect(report.webgpu.features).to.include('timestamp-query').and.not.to.include('shader-f16');
    expect(report.webgpu.limits.maxBufferSize).to.be.greaterThan(0);
    expect(report.webgpu.limits.maxStorageBufferBindingSize).to.be.greaterThan(0);
  });

  it('counts this adapter as software the same way from the report and from the adapter itself (as a worker sees it)', async () => {
    const adapter = (await navigator.gpu.requestAdapter())!;
    expect(isSoftwareAdapter(adapter)).to.equal(true);
    expect(isSoftwareAdapter((await detectDevice()).webgpu)).to.equal(true);
  });

  it('lists exactly the adapter’s features, sorted', async () => {
    const adapter = (await navigator.gpu.requestAdapter())!;
    const report = await detectDevice();
    expect(report.webgpu.features).to.deep.equal([...adapter.features].sort());
    expect(report.webgpu.limits.maxStorageBufferBindingSize).to.equal(adapter.limits.maxStorageBufferBindingSize);
  });

  it('leads device="auto" to WASM, which is faster than this software adapter', async () => {
    const registry = buildModelRegistry(prebuiltAppConfig.model_list as WebLlmModelRecord[]);
    const plan = planPlacement(await detectDevice(), { llm: registry.resolve('llm', 'qwen2.5-0.5b'), asr: registry.resolve('asr', 'moonshine-tiny'), device: 'auto' });
    expect([plan.llm!.runtime, plan.llm!.backend]).to.deep.equal(['transformers', 'wasm']);
    expect(plan.asr!.backend).to.equal('wasm');
    expect(plan.asr!.reason).to.match(/software/);
    expect(plan.warnings.join(' ')).to.not.match(/software adapter/);
  });

  it('leads device="webgpu" to the q4f32 build with a slow-adapter warning', async () => {
    const registry = buildModelRegistry(prebuiltAppConfig.model_list as WebLlmModelRecord[]);
    const plan = planPlacement(await detectDevice(), { llm: registry.resolve('llm', 'qwen2.5-0.5b'), asr: null, device: 'webgpu' });
    expect([plan.llm!.backend, plan.llm!.modelId]).to.deep.equal(['webgpu', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC']);
    expect(plan.warnings.join(' ')).to.match(/software adapter/);
  });
});

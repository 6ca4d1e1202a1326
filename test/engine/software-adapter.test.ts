import { expect } from '@open-wc/testing';
import { isSoftwareAdapter } from '../../src/engine/software-adapter.js';
import { planPlacement } from '../../src/engine/placement.js';
import { loadModelRegistry } from '../../src/engine/models/model-registry.js';
import { describeDevice } from '../../src/elements/slm-provider/format.js';
import { defaultModels } from '../../src/elements/slm-scribe/internal/recommend.js';
import type { DeviceReport } from '../../src/engine/types.js';

/** A roomy device whose WebGPU adapter is the one given (`isFallbackAdapter` false unless told). */
function reportWith(adapter: DeviceReport['webgpu']['adapter'], isFallbackAdapter = false): DeviceReport {
  return {
    webgpu: { available: true, adapter, isFallbackAdapter, features: ['shader-f16'], shaderF16: true, limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 } },
    webnn: { available: false, deviceTypes: [] },
    wasm: { threads: false, simd: true },
    crossOriginIsolated: false,
    hardwareConcurrency: 8,
    deviceMemoryGB: 8,
    storage: { quotaBytes: 1e11, usageBytes: 0, persisted: false },
  };
}

const nvidia = reportWith({ vendor: 'nvidia', architecture: 'ampere', description: '' });
const flagged = reportWith({ vendor: 'google', architecture: '', description: '' }, true);
// Mesa's CPU rasteriser, as Chromium on Linux without a GPU may report it: no fallback flag.
const llvmpipe = reportWith({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' });
const swiftShader = reportWith({ vendor: 'google', architecture: 'swiftshader', description: '' });
const lavapipe = reportWith({ vendor: 'mesa', architecture: '', description: 'Lavapipe' });

/** Stands in for a `GPUAdapter` as a worker sees it; only `info` (or the older flag on the adapter) is read. */
const adapter = (info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }, onAdapter?: boolean) =>
  ({ info: { vendor: '', architecture: '', device: '', description: '', ...info }, ...(onAdapter === undefined ? {} : { isFallbackAdapter: onAdapter }) }) as unknown as GPUAdapter;

describe('isSoftwareAdapter: one rule for placement, the setup card and the log-mel front end', () => {
  it('counts the fallback flag, SwiftShader, llvmpipe and lavapipe as software, in a report and on an adapter', () => {
    for (const report of [flagged, llvmpipe, swiftShader, lavapipe]) expect(isSoftwareAdapter(report.webgpu), JSON.stringify(report.webgpu.adapter)).to.equal(true);
    expect(isSoftwareAdapter(adapter({ isFallbackAdapter: true }))).to.equal(true);
    expect(isSoftwareAdapter(adapter({}, true))).to.equal(true);
    expect(isSoftwareAdapter(adapter({ vendor: 'google', architecture: 'swiftshader' }))).to.equal(true);
    expect(isSoftwareAdapter(adapter({ device: 'llvmpipe (LLVM 15.0.7, 256 bits)' }))).to.equal(true);
  });

  it('counts a real GPU, and no WebGPU at all, as not software', () => {
    expect(isSoftwareAdapter(nvidia.webgpu)).to.equal(false);
    expect(isSoftwareAdapter(adapter({ vendor: 'nvidia', architecture: 'ampere' }))).to.equal(false);
    expect(isSoftwareAdapter({ ...nvidia.webgpu, available: false, adapter: null })).to.equal(false);
  });

  it('the setup card recommends the small language model on an llvmpipe adapter without the fallback flag, as placement runs it on WASM', async () => {
    expect(defaultModels(nvidia).llm).to.equal('qwen2.5-1.5b');
    expect(defaultModels(llvmpipe).llm).to.equal('qwen2.5-0.5b');
    const registry = await loadModelRegistry();
    expect(planPlacement(llvmpipe, { llm: null, asr: registry.resolve('asr', 'whisper-base'), device: 'auto' }).asr!.backend).to.equal('wasm');
  });

  it('warns of the software adapter, and the device line says software, whatever the adapter is called', async () => {
    const registry = await loadModelRegistry();
    const plan = planPlacement(llvmpipe, { llm: null, asr: registry.resolve('asr', 'whisper-base'), device: 'webgpu' });
    expect(plan.asr!.backend).to.equal('webgpu');
    expect(plan.warnings.join('\n')).to.match(/software adapter/);
    expect(describeDevice(llvmpipe)).to.include('software');
    expect(describeDevice(nvidia)).to.not.include('software');
  });
});

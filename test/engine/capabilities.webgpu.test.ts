import { expect } from '@open-wc/testing';
import { detectDevice } from '../../src/engine/capabilities.js';

describe('detectDevice on SwiftShader WebGPU', () => {
  it('reports a software adapter without shader-f16', async () => {
    const report = await detectDevice();
    expect(report.webgpu.available).to.equal(true);
    expect(report.webgpu.isFallbackAdapter).to.equal(true);
    expect(report.webgpu.adapter!.architecture).to.equal('swiftshader');
    expect(report.webgpu.shaderF16).to.equal(false);
    expect(report.webgpu.features.length).to.be.greaterThan(0);
    expect(report.webgpu.limits.maxBufferSize).to.be.greaterThan(0);
  });
});

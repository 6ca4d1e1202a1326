import { expect } from '@open-wc/testing';
import { detectDevice } from '../../src/engine/capabilities.js';

describe('detectDevice without WebGPU', () => {
  it('reports no WebGPU and sane numbers for the rest', async () => {
    const report = await detectDevice();
    expect(report.webgpu.available).to.equal(false);
    expect(report.webgpu.features).to.deep.equal([]);
    expect(report.hardwareConcurrency).to.be.at.least(1);
    expect(report.wasm.simd).to.equal(true);
    expect(report.wasm.threads).to.equal(report.crossOriginIsolated);
    expect(report.storage.quotaBytes).to.be.greaterThan(0);
  });

  it('survives a browser whose probes all fail', async () => {
    const broken = {
      hardwareConcurrency: 2,
      gpu: { requestAdapter: () => Promise.reject(new Error('gpu process crashed')) },
      ml: { createContext: () => Promise.reject(new Error('no webnn')) },
      storage: { estimate: () => Promise.reject(new Error('denied')), persisted: () => Promise.reject(new Error('denied')) },
      deviceMemory: 4,
    } as unknown as Navigator;
    const report = await detectDevice(broken);
    expect(report.webgpu.available).to.equal(false);
    expect(report.webnn).to.deep.equal({ available: false, deviceTypes: [] });
    expect(report.storage.quotaBytes).to.equal(null);
    expect(report.deviceMemoryGB).to.equal(4);
  });

  it('lists the WebNN device types that accept a context', async () => {
    const fake = {
      hardwareConcurrency: 2,
      ml: { createContext: ({ deviceType }: { deviceType: string }) => (deviceType === 'gpu' ? Promise.reject(new Error('no')) : Promise.resolve({})) },
    } as unknown as Navigator;
    const report = await detectDevice(fake);
    expect(report.webnn).to.deep.equal({ available: true, deviceTypes: ['npu', 'cpu'] });
  });
});

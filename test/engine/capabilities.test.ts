import { expect } from '@open-wc/testing';
import { detectDevice } from '../../src/engine/capabilities.js';

const never = () => new Promise<never>(() => undefined);

describe('detectDevice without WebGPU', () => {
  it('reports no WebGPU and sane numbers for the rest', async () => {
    const report = await detectDevice();
    expect(report.webgpu).to.deep.equal({
      available: false,
      adapter: null,
      isFallbackAdapter: false,
      features: [],
      shaderF16: false,
      limits: { maxBufferSize: 0, maxStorageBufferBindingSize: 0 },
    });
    expect(report.hardwareConcurrency).to.equal(navigator.hardwareConcurrency);
    expect(report.wasm.simd).to.equal(true);
    // The test server sends no COOP/COEP headers, so no SharedArrayBuffer threads.
    expect(report.crossOriginIsolated).to.equal(false);
    expect(report.wasm.threads).to.equal(false);
    expect(report.deviceMemoryGB).to.be.a('number').and.to.be.greaterThan(0);
    expect(report.storage.quotaBytes).to.be.greaterThan(0);
    expect(report.storage.usageBytes).to.be.at.least(0);
    expect(report.storage.persisted).to.be.a('boolean');
  });

  it('survives a browser whose probes all reject', async () => {
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
    expect(report.storage).to.deep.equal({ quotaBytes: null, usageBytes: null, persisted: null });
    expect(report.deviceMemoryGB).to.equal(4);
    expect(report.hardwareConcurrency).to.equal(2);
  });

  it('survives a browser whose APIs throw synchronously or from their getters', async () => {
    const hostile = {
      get hardwareConcurrency(): number {
        throw new Error('blocked');
      },
      get deviceMemory(): number {
        throw new Error('blocked');
      },
      gpu: {
        requestAdapter: () => {
          throw new Error('blocked by policy');
        },
      },
      ml: {
        createContext: () => {
          throw new TypeError('deviceType is not supported');
        },
      },
      get storage(): never {
        throw new Error('storage is disabled');
      },
    } as unknown as Navigator;
    const report = await detectDevice(hostile);
    expect(report.webgpu.available).to.equal(false);
    expect(report.webnn.available).to.equal(false);
    expect(report.storage.quotaBytes).to.equal(null);
    expect(report.hardwareConcurrency).to.equal(1);
    expect(report.deviceMemoryGB).to.equal(null);
  });

  it('reads an adapter’s facts, including the legacy fallback flag, without asking for a device', async () => {
    let devicesRequested = 0;
    const adapter = {
      info: { vendor: 'intel', architecture: 'gen-12lp', description: 'Iris Xe' },
      isFallbackAdapter: true,
      features: new Set(['timestamp-query', 'shader-f16']),
      limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
      requestDevice: () => {
        devicesRequested += 1;
        return never();
      },
    };
    const fake = { hardwareConcurrency: 4, gpu: { requestAdapter: () => Promise.resolve(adapter) } } as unknown as Navigator;
    const report = await detectDevice(fake);
    expect(report.webgpu).to.deep.equal({
      available: true,
      adapter: { vendor: 'intel', architecture: 'gen-12lp', description: 'Iris Xe' },
      isFallbackAdapter: true,
      features: ['shader-f16', 'timestamp-query'],
      shaderF16: true,
      limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
    });
    expect(devicesRequested).to.equal(0);
  });

  it('lists the WebNN device types that accept a context, and releases each context', async () => {
    const destroyed: string[] = [];
    const fake = {
      hardwareConcurrency: 2,
      ml: {
        createContext: ({ deviceType }: { deviceType: string }) =>
          deviceType === 'gpu' ? Promise.reject(new Error('no')) : Promise.resolve({ destroy: () => destroyed.push(deviceType) }),
      },
    } as unknown as Navigator;
    const report = await detectDevice(fake);
    expect(report.webnn).to.deep.equal({ available: true, deviceTypes: ['npu', 'cpu'] });
    expect(destroyed.sort()).to.deep.equal(['cpu', 'npu']);
  });

  it('gives up on WebNN and storage probes that never answer', async () => {
    const wedged = {
      hardwareConcurrency: 2,
      ml: { createContext: never },
      storage: { estimate: never, persisted: never },
    } as unknown as Navigator;
    const started = performance.now();
    const report = await detectDevice(wedged);
    expect(performance.now() - started).to.be.below(4_000);
    expect(report.webnn.available).to.equal(false);
    expect(report.storage).to.deep.equal({ quotaBytes: null, usageBytes: null, persisted: null });
  });
});

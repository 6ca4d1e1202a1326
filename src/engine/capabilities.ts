/// <reference types="@webgpu/types" />
import type { DeviceReport } from './types.js';

/** WebNN is not in TypeScript's DOM types yet; this is the part we touch. */
interface WebNN {
  createContext(options?: { deviceType?: 'cpu' | 'gpu' | 'npu' }): Promise<unknown>;
}

type NavigatorLike = Pick<Navigator, 'hardwareConcurrency'> & {
  gpu?: GPU;
  ml?: WebNN;
  deviceMemory?: number;
  storage?: Pick<StorageManager, 'estimate' | 'persisted'>;
};

// A minimal module using one v128 instruction: validates only where WASM SIMD exists.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

const withTimeout = <T>(work: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([work.catch(() => fallback), new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms))]);

/**
 * Measures what this browser on this machine can do. Asks for a GPU adapter but never a
 * device, so nothing is allocated; every probe is guarded, so it never throws.
 */
export async function detectDevice(nav: NavigatorLike = navigator): Promise<DeviceReport> {
  const [webgpu, webnn, storage] = await Promise.all([probeWebGpu(nav), probeWebNn(nav), probeStorage(nav)]);
  const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;
  let simd = false;
  try {
    simd = WebAssembly.validate(SIMD_PROBE);
  } catch {
    simd = false;
  }
  return {
    webgpu,
    webnn,
    wasm: { threads: isolated && typeof SharedArrayBuffer !== 'undefined', simd },
    crossOriginIsolated: isolated,
    hardwareConcurrency: nav.hardwareConcurrency || 1,
    deviceMemoryGB: typeof nav.deviceMemory === 'number' ? nav.deviceMemory : null,
    storage,
  };
}

async function probeWebGpu(nav: NavigatorLike): Promise<DeviceReport['webgpu']> {
  const none: DeviceReport['webgpu'] = {
    available: false,
    adapter: null,
    isFallbackAdapter: false,
    features: [],
    shaderF16: false,
    limits: { maxBufferSize: 0, maxStorageBufferBindingSize: 0 },
  };
  try {
    const adapter = nav.gpu ? await withTimeout(nav.gpu.requestAdapter(), 5_000, null) : null;
    if (!adapter) return none;
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const features = [...adapter.features].sort();
    return {
      available: true,
      adapter: { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '' },
      isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? legacyFallback ?? false),
      features,
      shaderF16: features.includes('shader-f16'),
      limits: { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize },
    };
  } catch {
    return none;
  }
}

async function probeWebNn(nav: NavigatorLike): Promise<DeviceReport['webnn']> {
  const ml = nav.ml;
  if (!ml || typeof ml.createContext !== 'function') return { available: false, deviceTypes: [] };
  const types = ['npu', 'gpu', 'cpu'] as const;
  const offered = await Promise.all(
    types.map((deviceType) =>
      withTimeout(
        ml.createContext({ deviceType }).then(() => true),
        2_000,
        false,
      ),
    ),
  );
  const deviceTypes = types.filter((_, i) => offered[i]);
  return { available: deviceTypes.length > 0, deviceTypes };
}

async function probeStorage(nav: NavigatorLike): Promise<DeviceReport['storage']> {
  const storage = nav.storage;
  if (!storage) return { quotaBytes: null, usageBytes: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    withTimeout<StorageEstimate | null>(storage.estimate(), 2_000, null),
    withTimeout<boolean | null>(storage.persisted(), 2_000, null),
  ]);
  return { quotaBytes: estimate?.quota ?? null, usageBytes: estimate?.usage ?? null, persisted };
}

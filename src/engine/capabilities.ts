/// <reference types="@webgpu/types" />
import type { DeviceReport } from './types.js';

/** WebNN is not in TypeScript's DOM types yet; this is the part we touch. */
interface WebNN {
  createContext(options?: { deviceType?: 'cpu' | 'gpu' | 'npu' }): Promise<{ destroy?(): void }>;
}

/** The parts of `navigator` the probes read; `ml` and `deviceMemory` are untyped in the DOM lib. */
type NavigatorLike = Partial<Pick<Navigator, 'hardwareConcurrency'>> & {
  gpu?: GPU;
  ml?: WebNN;
  deviceMemory?: number;
  storage?: Pick<StorageManager, 'estimate' | 'persisted'>;
};

/** Older browsers offer `requestAdapterInfo()` instead of `info`, and `isFallbackAdapter` on the adapter rather than on `info`. */
type AdapterLike = GPUAdapter & {
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GPUAdapterInfo>;
};

// The GPU process can take a few seconds to start on a cold browser; WebNN and storage answer
// at once or never (a wedged NPU driver), so they get less.
const ADAPTER_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 2_000;

// A minimal module using one v128 instruction: validates only where WASM SIMD exists.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

const NO_WEBGPU: DeviceReport['webgpu'] = {
  available: false,
  adapter: null,
  isFallbackAdapter: false,
  features: [],
  shaderF16: false,
  limits: { maxBufferSize: 0, maxStorageBufferBindingSize: 0 },
};

/**
 * Measures what this browser on this machine can do. Asks for a GPU adapter but never a
 * device, so no GPU memory is allocated. Every probe is guarded and time-limited, so it
 * resolves even where an API throws, rejects or never answers.
 */
export async function detectDevice(nav: NavigatorLike = navigator): Promise<DeviceReport> {
  const [webgpu, webnn, storage] = await Promise.all([
    guarded(() => probeWebGpu(nav), NO_WEBGPU),
    guarded(() => probeWebNn(nav), { available: false, deviceTypes: [] }),
    guarded(() => probeStorage(nav), { quotaBytes: null, usageBytes: null, persisted: null }),
  ]);
  const isolated = typeof crossOriginIsolated === 'boolean' && crossOriginIsolated;
  const cores = read(() => nav.hardwareConcurrency);
  const memory = read(() => nav.deviceMemory);
  return {
    webgpu,
    webnn,
    wasm: { threads: isolated && typeof SharedArrayBuffer !== 'undefined', simd: read(() => WebAssembly.validate(SIMD_PROBE)) === true },
    crossOriginIsolated: isolated,
    hardwareConcurrency: positive(cores) ?? 1,
    deviceMemoryGB: positive(memory),
    storage,
  };
}

async function probeWebGpu(nav: NavigatorLike): Promise<DeviceReport['webgpu']> {
  const gpu = nav.gpu;
  if (!gpu || typeof gpu.requestAdapter !== 'function') return NO_WEBGPU;
  const adapter = (await withTimeout(gpu.requestAdapter(), ADAPTER_TIMEOUT_MS, null)) as AdapterLike | null;
  if (!adapter) return NO_WEBGPU;
  const info = await adapterInfo(adapter);
  const features = [...adapter.features].sort();
  return {
    available: true,
    adapter: { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '' },
    isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
    features,
    shaderF16: features.includes('shader-f16'),
    limits: { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize },
  };
}

type AdapterInfo = Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'> & { isFallbackAdapter?: boolean };

async function adapterInfo(adapter: AdapterLike): Promise<AdapterInfo | null> {
  if (adapter.info) return adapter.info as AdapterInfo;
  if (typeof adapter.requestAdapterInfo !== 'function') return null;
  return withTimeout<AdapterInfo | null>(adapter.requestAdapterInfo(), PROBE_TIMEOUT_MS, null);
}

async function probeWebNn(nav: NavigatorLike): Promise<DeviceReport['webnn']> {
  const ml = nav.ml;
  if (!ml || typeof ml.createContext !== 'function') return { available: false, deviceTypes: [] };
  const types = ['npu', 'gpu', 'cpu'] as const;
  const offered = await Promise.all(
    types.map((deviceType) =>
      guarded(async () => {
        const pending = Promise.resolve(ml.createContext({ deviceType }));
        const context = await withTimeout(pending, PROBE_TIMEOUT_MS, null);
        // A context can hold a driver-side device; we only wanted to know it could be made,
        // so it is destroyed at once, and so is one that arrives after we stopped waiting.
        if (context) read(() => context.destroy?.());
        else void pending.then((late) => read(() => late?.destroy?.())).catch(() => undefined);
        return Boolean(context);
      }, false),
    ),
  );
  const deviceTypes = types.filter((_, i) => offered[i]);
  return { available: deviceTypes.length > 0, deviceTypes };
}

async function probeStorage(nav: NavigatorLike): Promise<DeviceReport['storage']> {
  const storage = nav.storage;
  if (!storage) return { quotaBytes: null, usageBytes: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    guarded(() => withTimeout<StorageEstimate | null>(storage.estimate(), PROBE_TIMEOUT_MS, null), null),
    guarded(() => withTimeout<boolean | null>(storage.persisted(), PROBE_TIMEOUT_MS, null), null),
  ]);
  return { quotaBytes: positive(estimate?.quota) ?? null, usageBytes: estimate?.usage ?? null, persisted: typeof persisted === 'boolean' ? persisted : null };
}

/** Runs a probe that may throw synchronously, reject, or be missing altogether. */
async function guarded<T>(probe: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await probe();
  } catch {
    return fallback;
  }
}

/** Reads a property that may be a throwing getter on an unusual navigator. */
function read<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

function withTimeout<T>(work: Promise<T> | T, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([Promise.resolve(work).catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

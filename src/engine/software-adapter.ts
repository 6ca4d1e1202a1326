/// <reference types="@webgpu/types" />
import type { DeviceReport } from './types.js';

/** Older browsers put `isFallbackAdapter` on the adapter rather than on its `info`. */
type AdapterLike = GPUAdapter & { isFallbackAdapter?: boolean; info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } };

/** The names CPU implementations of WebGPU give themselves (Chromium's SwiftShader, Mesa's llvmpipe and lavapipe). */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|software/i;

/**
 * Whether a WebGPU adapter is an emulator on the CPU rather than a GPU: the browser marks it as
 * its fallback, or it names itself SwiftShader, llvmpipe or lavapipe. On one, WebGPU runs on the
 * same cores as WASM through a GPU emulator and every model measured was slower than on WASM, so
 * `device="auto"`, the setup card's recommendation and the log-mel front end all treat it as no
 * GPU. Takes the device report's `webgpu` (the main thread) or the adapter itself (a worker).
 */
export function isSoftwareAdapter(webgpu: DeviceReport['webgpu'] | GPUAdapter): boolean {
  if ('available' in webgpu) {
    if (!webgpu.available) return false;
    const { vendor = '', architecture = '', description = '' } = webgpu.adapter ?? {};
    return webgpu.isFallbackAdapter || SOFTWARE_NAMES.test(`${vendor} ${architecture} ${description}`);
  }
  const adapter = webgpu as AdapterLike;
  const info = adapter.info;
  if (info?.isFallbackAdapter || adapter.isFallbackAdapter) return true;
  return SOFTWARE_NAMES.test(`${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.device ?? ''} ${info?.description ?? ''}`);
}

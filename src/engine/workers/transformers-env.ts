import type { ModelFiles } from '../model-files/model-files.js';
import type { OrtFiles } from '../ort-files.js';
import type { ComputeBackend, ModelHostConfig } from '../types.js';

type Transformers = typeof import('@huggingface/transformers');

/**
 * Points Transformers.js at the configured model host and at our own copy of onnxruntime's
 * WASM. The worker uses it, and so do the benchmarks' baselines, so both run alike. With
 * `files`, downloads go through its retrying, pin-checking fetch and cached files through its
 * checking cache (the library's own loader is kept: only where bytes come from changes).
 * `device` picks onnxruntime's build: the plain one for a model on WASM, the asyncify one
 * (which WebGPU and WebNN need) otherwise. onnxruntime starts once per worker, with the first
 * model's build, so a worker holds models of one kind (the engine loads each in a fresh one).
 */
export function configureTransformers(transformers: Transformers, host: ModelHostConfig, files?: ModelFiles, device?: ComputeBackend): void {
  const { env } = transformers;
  // Models come only from the configured host; nothing is read from a local path guessed
  // from the page URL, and onnxruntime's WASM comes from our own files, never a CDN.
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = host.host.endsWith('/') ? host.host : `${host.host}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.useBrowserCache = host.useBrowserCache;
  if (files) {
    env.fetch = files.fetch;
    const { cache } = files;
    env.useCustomCache = cache !== null;
    // The library stores each download before handing its bytes to the runtime: the write goes
    // on beside the session build (the worker waits for it before the model is ready).
    env.customCache = cache && { match: (request: string) => cache.match(request), put: (request: string, response: Response) => cache.putBehind(request, response) };
  }
  // Transformers.js would otherwise keep onnxruntime's files in Cache Storage and import the
  // `.mjs` from a blob: URL, which a strict CSP (`script-src 'self'`) refuses. The files are
  // immutable, hashed assets of the app: the HTTP cache keeps them.
  env.useWasmCache = false;
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: OrtFiles; numThreads?: number; proxy?: boolean } };
  if (onnx.wasm) {
    onnx.wasm.wasmPaths = host.wasmPaths[device === 'wasm' ? 'wasm' : 'asyncify'];
    onnx.wasm.proxy = false;
    // Threads need SharedArrayBuffer, which only cross-origin-isolated pages have.
    onnx.wasm.numThreads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  }
}

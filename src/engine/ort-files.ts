/**
 * onnxruntime-web's runtime files, shipped in the package's `ort/` folder. Each is named by its
 * own `new URL('…', import.meta.url)`, so app bundlers (Vite, Rollup, webpack) see every file,
 * emit it beside the app and rewrite the URL; a folder URL would be left behind unbundled.
 * These URLs are made here, on the page, and handed to the workers as strings: inside a worker
 * bundle the same pattern would tie the files to that worker's copy.
 */
export interface OrtFiles {
  /** The Emscripten module (also the script of its WASM threads). */
  mjs: string;
  /** The WebAssembly binary. */
  wasm: string;
}

/** What onnxruntime-web's `env.wasm.wasmPaths` takes: a folder prefix or the two files. */
export type OrtPaths = string | OrtFiles;

/** Which build: `asyncify` is the one Transformers.js's WebGPU/WASM build loads; `wasm` the plain CPU one (Silero VAD). */
export type OrtBuild = 'asyncify' | 'wasm';

export const PACKAGED_ORT_FILES: Readonly<Record<OrtBuild, OrtFiles>> = {
  asyncify: {
    mjs: new URL('../ort/ort-wasm-simd-threaded.asyncify.mjs', import.meta.url).href,
    wasm: new URL('../ort/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
  },
  wasm: {
    mjs: new URL('../ort/ort-wasm-simd-threaded.mjs', import.meta.url).href,
    wasm: new URL('../ort/ort-wasm-simd-threaded.wasm', import.meta.url).href,
  },
};

/**
 * The files one build loads: the package's own, or, where the app serves them itself
 * (`wasmPaths`, a folder URL ending in `/` holding onnxruntime-web's `dist/` files), that folder.
 */
export function ortPaths(build: OrtBuild, wasmPaths?: string | null): OrtPaths {
  return wasmPaths ? (wasmPaths.endsWith('/') ? wasmPaths : `${wasmPaths}/`) : PACKAGED_ORT_FILES[build];
}

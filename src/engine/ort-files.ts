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

/**
 * Which build: `asyncify` is the one Transformers.js's bundle (onnxruntime-web/webgpu) loads, needed for WebGPU;
 * `wasm` the plain CPU one. The same bundle runs on the plain build when nothing asks for WebGPU, so a model on WASM
 * gets it: asyncify instruments every call that might wait on the GPU, which makes a session's build and the first
 * readings, before V8 has optimised the code, 2–3× slower (`npm run bench:session -- builds=plain,asyncify`).
 */
export type OrtBuild = 'asyncify' | 'wasm';

const FILE_NAMES: Readonly<Record<OrtBuild, string>> = { asyncify: 'ort-wasm-simd-threaded.asyncify', wasm: 'ort-wasm-simd-threaded' };

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
 * (`wasmPaths`, a folder URL holding onnxruntime-web's `dist/` files), that build's two files in the folder. Named
 * one by one, not as a folder: a folder would let the bundle pick its own build's names.
 */
export function ortPaths(build: OrtBuild, wasmPaths?: string | null): OrtFiles {
  if (!wasmPaths) return PACKAGED_ORT_FILES[build];
  const folder = wasmPaths.endsWith('/') ? wasmPaths : `${wasmPaths}/`;
  return { mjs: `${folder}${FILE_NAMES[build]}.mjs`, wasm: `${folder}${FILE_NAMES[build]}.wasm` };
}

/** Both builds' files, as the engine hands them to a model's worker (see `ModelHostConfig.wasmPaths`). */
export function ortBuilds(wasmPaths?: string | null): Record<OrtBuild, OrtFiles> {
  return { asyncify: ortPaths('asyncify', wasmPaths), wasm: ortPaths('wasm', wasmPaths) };
}

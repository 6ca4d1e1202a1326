import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { copyFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies);

// The files Transformers.js's onnxruntime-web build (`onnxruntime-web/webgpu`) loads at run
// time, for WebGPU and WASM alike. They ship in dist/ort/, where the engine looks by default,
// so no CDN is ever asked.
// The plain WASM build beside it is the speech worker's, for Silero VAD (see speech-stream.worker.ts).
const ortFiles = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

function copyRuntimeAssets() {
  return {
    name: 'copy-runtime-assets',
    async writeBundle() {
      await mkdir('dist/ort', { recursive: true });
      await Promise.all(ortFiles.map((file) => copyFile(`node_modules/onnxruntime-web/dist/${file}`, `dist/ort/${file}`)));
      // Silero VAD v5 (MIT), the voice-activity model the transcriber runs.
      await mkdir('dist/vad', { recursive: true });
      await copyFile('node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx', 'dist/vad/silero_vad_v5.onnx');
    },
  };
}

const library = {
  // One entry per public module: every element is its own file. The workers are built below.
  input: {
    index: 'src/index.ts',
    'engine/index': 'src/engine/index.ts',
    'elements/slm-provider/slm-provider': 'src/elements/slm-provider/slm-provider.ts',
    'elements/slm-transcriber/slm-transcriber': 'src/elements/slm-transcriber/slm-transcriber.ts',
    'elements/slm-note/slm-note': 'src/elements/slm-note/slm-note.ts',
    'elements/slm-chat/slm-chat': 'src/elements/slm-chat/slm-chat.ts',
    'elements/slm-visits/slm-visits': 'src/elements/slm-visits/slm-visits.ts',
    'elements/slm-session/slm-session': 'src/elements/slm-session/slm-session.ts',
    'elements/slm-scribe/slm-scribe': 'src/elements/slm-scribe/slm-scribe.ts',
    'session/index': 'src/session/index.ts',
    'visits/index': 'src/visits/index.ts',
    'note/index': 'src/note/index.ts',
    'engine/openai/openai-route.sw': 'src/engine/openai/openai-route.sw.ts',
    'engine/openai/index': 'src/engine/openai/index.ts',
  },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: '[name].js',
  },
  // A library leaves its dependencies to the app's bundler, which dedupes Lit and friends.
  external: (id) => dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`)),
  plugins: [
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declaration: true, declarationMap: true, sourceMap: true }),
    copyRuntimeAssets(),
  ],
};

// Each worker is one self-contained file, its libraries (Transformers.js, onnxruntime-web,
// WebLLM) inside: workers do not see a page's import map, so a bare `import('…')` in a worker
// would fail on a page that loads the package without a bundler. App bundlers follow
// `new Worker(new URL('./workers/x.worker.js', import.meta.url))` to these files as they are.
// onnxruntime's `.mjs`/`.wasm` stay separate files (see src/engine/ort-files.ts).
// WebLLM's service worker is minified too: Chromium will not start a service worker whose
// script is over about 6.5 MB where it keeps scripts in memory (an incognito window), and
// WebLLM alone is 6.8 MB ("ServiceWorker cannot be started").
const minify = () => ({
  name: 'minify',
  async renderChunk(code) {
    const { transform } = await import('esbuild');
    const { code: minified, map } = await transform(code, { minify: true, format: 'esm', target: 'es2022', sourcemap: 'external' });
    return { code: minified, map };
  },
});

const workers = ['engine/workers/transformers.worker', 'engine/workers/webllm.worker', 'engine/workers/webllm.sw', 'audio/workers/speech-stream.worker'].map((name) => ({
  input: `src/${name}.ts`,
  output: { file: `dist/${name}.js`, format: 'es', sourcemap: true, inlineDynamicImports: true },
  plugins: [
    // onnxruntime-web's build without its Emscripten module embedded: it imports the `.mjs`
    // named in `wasmPaths` (the package's own copy), so there is one copy of it, and no
    // `new URL('ort-wasm-….wasm', import.meta.url)` for app bundlers to trip on.
    nodeResolve({ browser: true, exportConditions: ['onnxruntime-web-use-extern-wasm', 'browser', 'production'] }),
    typescript({ tsconfig: './tsconfig.json', outDir: `dist/${name.slice(0, name.lastIndexOf('/'))}`, declaration: false, declarationMap: false, sourceMap: true }),
    ...(name === 'engine/workers/webllm.sw' ? [minify()] : []),
  ],
  onwarn(warning, warn) {
    // The libraries' own `this` at module scope and eval-free dynamic requires are theirs to keep.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
}));

// The capture worklet is one self-contained file: `audioWorklet.addModule()` gets a URL, and
// app bundlers copy such a file as it is, without following its imports.
const worklet = {
  input: 'src/audio/capture.worklet.ts',
  output: { dir: 'dist/audio', format: 'es', sourcemap: true, entryFileNames: 'capture.worklet.js' },
  plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist/audio', declaration: false, declarationMap: false, sourceMap: true })],
};

export default [library, ...workers, worklet];

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
  // One entry per public module and per worker: every element and every worker is its own
  // file, and `new URL('./workers/x.worker.js', import.meta.url)` still points at it.
  input: {
    index: 'src/index.ts',
    'engine/index': 'src/engine/index.ts',
    'elements/slm-provider/slm-provider': 'src/elements/slm-provider/slm-provider.ts',
    'elements/slm-transcriber/slm-transcriber': 'src/elements/slm-transcriber/slm-transcriber.ts',
    'elements/slm-note/slm-note': 'src/elements/slm-note/slm-note.ts',
    'elements/slm-chat/slm-chat': 'src/elements/slm-chat/slm-chat.ts',
    'elements/slm-visits/slm-visits': 'src/elements/slm-visits/slm-visits.ts',
    'elements/slm-session/slm-session': 'src/elements/slm-session/slm-session.ts',
    'session/index': 'src/session/index.ts',
    'visits/index': 'src/visits/index.ts',
    'note/index': 'src/note/index.ts',
    'engine/workers/transformers.worker': 'src/engine/workers/transformers.worker.ts',
    'engine/workers/webllm.worker': 'src/engine/workers/webllm.worker.ts',
    'engine/workers/webllm.sw': 'src/engine/workers/webllm.sw.ts',
    'audio/workers/speech-stream.worker': 'src/audio/workers/speech-stream.worker.ts',
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

// The capture worklet is one self-contained file: `audioWorklet.addModule()` gets a URL, and
// app bundlers copy such a file as it is, without following its imports.
const worklet = {
  input: 'src/audio/capture.worklet.ts',
  output: { dir: 'dist/audio', format: 'es', sourcemap: true, entryFileNames: 'capture.worklet.js' },
  plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist/audio', declaration: false, declarationMap: false, sourceMap: true })],
};

export default [library, worklet];

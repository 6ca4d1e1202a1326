import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { copyFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies);

// The files Transformers.js's onnxruntime-web build (`onnxruntime-web/webgpu`) loads at run
// time, for WebGPU and WASM alike. They ship in dist/ort/, where the engine looks by default,
// so no CDN is ever asked.
const ortFiles = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

function copyOrtWasm() {
  return {
    name: 'copy-ort-wasm',
    async writeBundle() {
      await mkdir('dist/ort', { recursive: true });
      await Promise.all(ortFiles.map((file) => copyFile(`node_modules/onnxruntime-web/dist/${file}`, `dist/ort/${file}`)));
    },
  };
}

export default {
  // One entry per public module and per worker: every element and every worker is its own
  // file, and `new URL('./workers/x.worker.js', import.meta.url)` still points at it.
  input: {
    index: 'src/index.ts',
    'engine/index': 'src/engine/index.ts',
    'elements/slm-provider/slm-provider': 'src/elements/slm-provider/slm-provider.ts',
    'engine/workers/transformers.worker': 'src/engine/workers/transformers.worker.ts',
    'engine/workers/webllm.worker': 'src/engine/workers/webllm.worker.ts',
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
    copyOrtWasm(),
  ],
};

import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';
import { sourceUrls } from './tools/dev-server/source-urls.mjs';
import { fixtureModelHost } from './tools/dev-server/fixture-model-host.mjs';
import { commonjsPackages } from './tools/dev-server/commonjs-packages.mjs';

/** `npm start`: the demo page, compiled from the TypeScript sources on the fly. */
export default {
  rootDir: '.',
  port: Number(process.env.PORT ?? 8000),
  hostname: process.env.HOST ?? 'localhost',
  open: false,
  watch: !process.env.CI,
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [
    commonjsPackages(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  middleware: [
    // Cross-origin isolation, so SharedArrayBuffer exists and onnxruntime's WASM runs on more
    // than one thread (see transformers-env.ts). Every file here is same-origin; a model mirror
    // elsewhere is fetched with CORS, which require-corp allows.
    (ctx, next) => {
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
      return next();
    },
    // The demo lives in demo/; the site root sends visitors there.
    (ctx, next) => (ctx.path === '/' ? ctx.redirect('/demo/') : next()),
    sourceUrls(),
    fixtureModelHost(),
  ],
};

import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';
import { sourceUrls } from './tools/dev-server/source-urls.mjs';
import { serviceWorkerBundles } from './tools/dev-server/service-worker-bundles.mjs';
import { fixtureModelHost } from './tools/dev-server/fixture-model-host.mjs';
import { commonjsPackages } from './tools/dev-server/commonjs-packages.mjs';
import { contentSecurityPolicy } from './tools/dev-server/csp.mjs';

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
    // A strict Content-Security-Policy on the page and on each worker script (tools/dev-server/csp.mjs):
    // fetches only to this origin and the model hosts, in SLM_MODEL_HOSTS (comma-separated;
    // default the Hugging Face hub), and the `llm-endpoint` servers in SLM_LLM_ENDPOINT (comma-separated;
    // default none). The test models are served here, under /models.
    contentSecurityPolicy({
      modelHosts: (process.env.SLM_MODEL_HOSTS ?? 'https://huggingface.co').split(',').filter(Boolean),
      llmEndpoints: () => (process.env.SLM_LLM_ENDPOINT ?? '').split(',').filter(Boolean),
    }),
    // The demo lives in demo/; the site root sends visitors there.
    (ctx, next) => (ctx.path === '/' ? ctx.redirect(`/demo/${ctx.search}`) : next()),
    // WebLLM's service worker (webllm-worker="service"), one minified file as built.
    serviceWorkerBundles(),
    sourceUrls(),
    fixtureModelHost(),
  ],
};

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
    // The demo lives in demo/; the site root sends visitors there.
    (ctx, next) => (ctx.path === '/' ? ctx.redirect('/demo/') : next()),
    sourceUrls(),
    fixtureModelHost(),
  ],
};

import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes the TypeScript sources answer the URLs the built package uses, so the same code
 * runs in development, tests and the demo:
 * - workers are started with `new Worker(new URL('./x.worker.js', import.meta.url))`; a
 *   request for `/src/…/x.js` that has no such file is answered from `x.ts` (the esbuild
 *   plugin compiles it like any other module);
 * - the engine finds onnxruntime's WASM at `../ort/` beside itself; the build copies it
 *   there, and here `/src/ort/…` is answered from the installed `onnxruntime-web/dist/`.
 *   Those files (and the built `/dist/ort/…`) are sent as they are: the dev server's import
 *   rewriting would break their Node-only branches;
 * - likewise the Silero VAD model at `../vad/` comes from `@ricky0123/vad-web/dist/`;
 * - the OpenAI route's service worker may control the whole origin (`/v1/…`), which a
 *   worker script below the root may only do with `Service-Worker-Allowed: /` (WebLLM's is
 *   served by `service-worker-bundles.mjs`).
 */
export function sourceUrls({ rootDir = process.cwd() } = {}) {
  const ortDir = join(rootDir, 'node_modules', 'onnxruntime-web', 'dist');
  const vadDir = join(rootDir, 'node_modules', '@ricky0123', 'vad-web', 'dist');
  return async function sourceUrlsMiddleware(ctx, next) {
    const path = ctx.path;
    if (/\/openai-route\.sw\.js$/.test(path)) ctx.set('Service-Worker-Allowed', '/');
    const asset = /^\/(src|dist)\/(ort|vad)\/((?:ort-wasm|silero_vad)[\w.-]*\.(?:mjs|wasm|onnx))$/.exec(path);
    if (asset) {
      const [, root, folder, name] = asset;
      const file = root === 'dist' ? join(rootDir, 'dist', folder, name) : join(folder === 'ort' ? ortDir : vadDir, name);
      if (!existsSync(file)) return next();
      ctx.type = file.endsWith('.wasm') ? 'application/wasm' : file.endsWith('.onnx') ? 'application/octet-stream' : 'text/javascript';
      ctx.body = createReadStream(file);
      return undefined;
    }
    if (path.startsWith('/src/') && path.endsWith('.js') && !existsSync(join(rootDir, path))) {
      const asTs = path.slice(0, -3) + '.ts';
      if (existsSync(join(rootDir, asTs))) ctx.url = asTs + (ctx.querystring ? `?${ctx.querystring}` : '');
    }
    return next();
  };
}

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
 *   rewriting would break their Node-only branches.
 */
export function sourceUrls({ rootDir = process.cwd() } = {}) {
  const ortDir = join(rootDir, 'node_modules', 'onnxruntime-web', 'dist');
  return async function sourceUrlsMiddleware(ctx, next) {
    const path = ctx.path;
    const ort = /^\/(src|dist)\/ort\/(ort-wasm[\w.-]*\.(?:mjs|wasm))$/.exec(path);
    if (ort) {
      const file = ort[1] === 'src' ? join(ortDir, ort[2]) : join(rootDir, 'dist', 'ort', ort[2]);
      if (!existsSync(file)) return next();
      ctx.type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
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

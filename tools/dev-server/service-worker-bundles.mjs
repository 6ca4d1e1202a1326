import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/**
 * Serves WebLLM's service worker (`/src/engine/workers/webllm.sw.js`) as the build does: one
 * file with WebLLM inside, minified, and allowed to control the whole origin
 * (`Service-Worker-Allowed: /`). Compiled module by module like the other sources it would be
 * WebLLM's 6.8 MB plus an inline source map, and Chromium will not start a service worker
 * whose script is over about 6.5 MB where it keeps scripts in memory (an incognito window, and
 * the test runner's browser contexts): registration fails with "ServiceWorker cannot be started".
 * Built again when any file it was built from changed.
 */
export function serviceWorkerBundles({ rootDir = process.cwd(), scripts = ['src/engine/workers/webllm.sw.ts'] } = {}) {
  /** @type {Map<string, { code: Uint8Array; inputs: Array<[string, number]> }>} */
  const built = new Map();
  const mtime = (file) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return -1;
    }
  };
  const bundle = async (script) => {
    const known = built.get(script);
    if (known && known.inputs.every(([file, time]) => mtime(file) === time)) return known.code;
    const result = await esbuild.build({
      entryPoints: [join(rootDir, script)],
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      conditions: ['browser', 'production'],
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    const inputs = Object.keys(result.metafile.inputs).map((file) => join(rootDir, file)).map((file) => [file, mtime(file)]);
    const code = result.outputFiles[0].contents;
    built.set(script, { code, inputs });
    return code;
  };
  return async function serviceWorkerBundlesMiddleware(ctx, next) {
    const script = scripts.find((s) => ctx.path === `/${s.replace(/\.ts$/, '.js')}`);
    if (!script) return next();
    ctx.set('Service-Worker-Allowed', '/');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/javascript';
    ctx.body = Buffer.from(await bundle(script));
    return undefined;
  };
}

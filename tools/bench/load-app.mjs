// The load bench's page as a deployment serves it: the published build (`npm run build` → dist/)
// bundled by Vite, as an app that installs the package is (the README's Vite setup, the one
// `npm run test:package` serves from nginx). The dev server sends each source module on its own
// request, a waterfall that a 20 ms link turns into seconds before the speech worker even starts;
// no clinic is served that way.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
/** Served by the bench's server at `/bench-data/load-app/…`. */
export const LOAD_APP_DIR = 'bench-data/load-app';
export const LOAD_APP_PAGE = `/${LOAD_APP_DIR}/tools/bench/load-bench.html`;
const STAMP = `${LOAD_APP_DIR}/built-from.txt`;

/**
 * Builds the package, then the page with Vite, unless `prebuilt` and a build is there (the quiet
 * machine has neither Rollup nor Vite: `npm run bench:quiet` builds here and carries it).
 */
export async function ensureLoadApp({ prebuilt = false, log = console.log } = {}) {
  if (prebuilt) {
    if (!existsSync(path.join(root, STAMP))) throw new Error(`LOAD_APP=prebuilt, but there is no ${LOAD_APP_DIR}: run npm run bench:quiet here`);
    log(`load app: the prebuilt ${LOAD_APP_DIR} (${readFileSync(path.join(root, STAMP), 'utf8').trim()})`);
    return;
  }
  log('load app: npm run build, then Vite…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { build } = await import('vite');
  const src = path.join(root, 'src');
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    base: `/${LOAD_APP_DIR}/`,
    worker: { format: 'es' },
    plugins: [
      {
        // The page imports the sources (for their types); the app gets the published build.
        name: 'published-build',
        enforce: 'pre',
        resolveId(source, importer) {
          if (!importer?.endsWith('load-bench.ts') || !source.startsWith('.')) return null;
          const file = path.resolve(path.dirname(importer), source);
          return file.startsWith(`${src}/`) ? path.join(root, 'dist', path.relative(src, file)) : null;
        },
      },
    ],
    build: { outDir: path.join(root, LOAD_APP_DIR), emptyOutDir: true, rollupOptions: { input: path.join(root, 'tools/bench/load-bench.html') } },
  });
  const commit = (() => {
    try {
      return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown commit';
    }
  })();
  writeFileSync(path.join(root, STAMP), `built ${new Date().toISOString()} from ${commit}\n`);
}

// The packages the browser benches need, as folders of node_modules: the closure of the project's
// runtime dependencies (what the bench pages import in the browser) and of what serves and drives
// them in Node (@web/dev-server with the project's config, playwright-core), by each package.json's
// `dependencies` and installed `optionalDependencies`, resolved as Node would (nested first).
// Usage: node tools/bench/quiet/modules.mjs  (prints one folder a line, relative to the project root)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const project = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The bench driver's imports (run-bench.mjs, web-dev-server.config.mjs). The VAD's model is added by prepare.sh. */
const SERVER = ['@web/dev-server', '@web/dev-server-esbuild', 'esbuild', 'playwright-core'];

const found = new Set();
/** The folder Node would load `name` from, looking up from `from` (a package folder). */
function resolve(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}
function visit(name, from, optional) {
  const dir = resolve(name, from);
  if (!dir) {
    if (!optional) throw new Error(`${name} (needed from ${path.relative(root, from) || 'the project'}) is not installed: run npm ci`);
    return;
  }
  if (found.has(dir)) return;
  found.add(dir);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
  // Platform builds (esbuild's @esbuild/linux-x64) are optional and installed only where they run.
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, true);
}
for (const name of [...Object.keys(project.dependencies ?? {}), ...SERVER]) visit(name, root, false);
console.log([...found].map((dir) => path.relative(root, dir)).sort().join('\n'));

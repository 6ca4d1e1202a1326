import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import process from 'node:process';

const PREFIX = '/__commonjs__/';

/**
 * A dev-server plugin that serves CommonJS-only packages (React 19 ships no ES modules) as
 * ES modules, so `import { useState } from 'react'` works in the examples and tests without
 * a bundler. All the listed packages are bundled together, once, with shared chunks, so
 * `react` and `react-dom/client` share one React (two copies break hooks).
 *
 * Use it in both dev-server and test-runner configs: `plugins: [commonjsPackages(), …]`.
 */
export function commonjsPackages({
  packages = ['react', 'react-dom', 'react-dom/client'],
  nodeEnv = 'production',
  rootDir = process.cwd(),
} = {}) {
  let bundle;
  const files = () => (bundle ??= bundleAsModules(packages, { nodeEnv, rootDir }));
  return {
    name: 'commonjs-packages',
    resolveImport({ source }) {
      if (packages.includes(source)) return `${PREFIX}${source}.js`;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return;
      const body = (await files()).get(context.path.slice(PREFIX.length));
      return body === undefined ? undefined : { body, type: 'js' };
    },
  };
}

async function bundleAsModules(packages, { nodeEnv, rootDir }) {
  const exportNames = namedExports(packages, { nodeEnv, rootDir });
  // Nothing is written (write: false); the folder only names the files.
  const outdir = join(rootDir, 'commonjs-packages');
  const entry = (name) => `import cjs from ${JSON.stringify(name)};\nexport default cjs;\nexport const { ${exportNames[name].join(', ')} } = cjs;\n`;
  const result = await build({
    entryPoints: Object.fromEntries(packages.map((name) => [name, `entry:${name}`])),
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    absWorkingDir: rootDir,
    outdir,
    write: false,
    logLevel: 'silent',
    // Folds `process.env.NODE_ENV === 'production'` so only one of each package's builds is kept.
    minifySyntax: true,
    define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
    plugins: [
      {
        name: 'entries',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^entry:/ }, ({ path }) => ({ path: path.slice('entry:'.length), namespace: 'entry' }));
          esbuild.onLoad({ filter: /.*/, namespace: 'entry' }, ({ path }) => ({ contents: entry(path), resolveDir: rootDir, loader: 'js' }));
        },
      },
    ],
  });
  return new Map(result.outputFiles.map((file) => [relative(outdir, file.path).split(sep).join('/'), file.text]));
}

/**
 * The keys of each package's `module.exports`, which become the module's named exports (a
 * CommonJS module declares none). They are read in a separate Node process because loading
 * the packages runs them, and React DOM then trips over the test runner's patched `console`.
 */
function namedExports(packages, { nodeEnv, rootDir }) {
  const script = `const names = {}; for (const p of ${JSON.stringify(packages)}) names[p] = Object.keys(require(p)); console.log(JSON.stringify(names));`;
  const names = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: rootDir, env: { ...process.env, NODE_ENV: nodeEnv }, encoding: 'utf8' }));
  const identifier = /^[A-Za-z_$][\w$]*$/;
  return Object.fromEntries(Object.entries(names).map(([name, keys]) => [name, keys.filter((key) => key !== 'default' && identifier.test(key))]));
}

// The published package as a consumer gets it, offline: `npm pack`'s tarball (of the dist/ that
// `npm run build` made) installed into (a) a fresh Vite 7 app, built and served by a real nginx
// with docs/deploy/nginx.conf, and (b) a plain HTML page with an import map. In Chromium each
// loads the test models, transcribes a recording and drafts a note; under nginx the page must be
// cross-origin isolated and the CSP enforced with no violation. Prints the bundle sizes.
// Run by `npm test` (`npm run test:package`), after the build.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync, createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { createModelHost } from '../dev-server/model-host.mjs';

const repo = new URL('../../', import.meta.url).pathname;
const fixtures = join(repo, 'test/fixtures');
const nginxBinary = process.env.NGINX ?? ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? 'nginx';
const launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** A free TCP port on 127.0.0.1 (for nginx, which cannot be told to pick one). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Installs the tarball into `app/node_modules` without a registry: the package is unpacked,
 * and each package in the closure of its `dependencies` is linked from this repository's
 * node_modules (which `npm ci` filled from the lockfile). Only that closure: a dependency the
 * package forgot to declare is missing here as it would be for a consumer.
 */
function installOffline(tarball, app) {
  const modules = join(app, 'node_modules');
  mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'slm-elements'));
  const manifest = JSON.parse(readFileSync(join(modules, 'slm-elements/package.json'), 'utf8'));
  const pending = Object.keys(manifest.dependencies ?? {});
  const linked = new Set();
  while (pending.length) {
    const name = pending.pop();
    if (linked.has(name)) continue;
    const source = join(repo, 'node_modules', name);
    if (!existsSync(source)) continue; // an optional dependency for another platform
    linked.add(name);
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(realpathSync(source), join(modules, name), 'dir');
    const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
    const peersOptional = pkg.peerDependenciesMeta ?? {};
    pending.push(
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}).filter((peer) => !peersOptional[peer]?.optional),
    );
  }
  return { manifest, linked };
}

/** What an app page runs: the provider with the test models, a transcriber and a note. */
const appBody = `
    <slm-provider llm="test-llm" asr="test-asr" device="wasm">
      <slm-transcriber></slm-transcriber>
      <slm-note></slm-note>
    </slm-provider>`;

/** Loads the models, transcribes the fixture recording, and returns the note's items and the transcript. */
async function dictate(page, modelHost) {
  await page.waitForFunction(() => customElements.get('slm-provider') && customElements.get('slm-note') && customElements.get('slm-transcriber'));
  await page.evaluate(async (host) => {
    const provider = document.querySelector('slm-provider');
    provider.modelHost = host;
    await provider.updateComplete;
    await provider.load();
    const wav = await (await fetch('./dictation.wav')).blob();
    await document.querySelector('slm-transcriber').transcribeFile(new File([wav], 'dictation.wav', { type: 'audio/wav' }));
  }, modelHost);
  await page.waitForFunction(() => document.querySelector('slm-note').note.sections.some((s) => s.items.length), null, { timeout: 180_000 });
  return page.evaluate(() => ({
    finals: document.querySelector('slm-provider').session.transcript.segments.filter((s) => s.final).length,
    items: document.querySelector('slm-note').note.sections.reduce((n, s) => n + s.items.length, 0),
    backend: document.querySelector('slm-provider').engine.state('asr').placement?.backend,
  }));
}

describe('the packed package', { timeout: 1_800_000 }, () => {
  let work;
  let tarball;
  let browser;
  before(async () => {
    assert.ok(existsSync(join(repo, 'dist/index.js')), 'dist/ is missing: run `npm run build` first');
    work = mkdtempSync(join(tmpdir(), 'slm-package-'));
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: repo, encoding: 'utf8' }));
    tarball = join(work, packed.filename);
    console.log(`# tarball ${packed.filename}: ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked, ${packed.entryCount} files`);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (work && !process.env.KEEP_PACKAGE_TEST) rmSync(work, { recursive: true, force: true });
  });

  describe('in a Vite 7 app, served by nginx with docs/deploy/nginx.conf', () => {
    let app;
    let nginx;
    let origin;
    let nginxDir;
    before(async () => {
      app = join(work, 'vite-app');
      installOffline(tarball, app);
      mkdirSync(join(app, 'public'), { recursive: true });
      copyFileSync(join(fixtures, 'audio/dictation.wav'), join(app, 'public/dictation.wav'));
      writeFileSync(
        join(app, 'index.html'),
        `<!doctype html>\n<html lang="en">\n  <head><meta charset="utf-8"><title>Clinic</title><script type="module" src="./main.js"></script></head>\n  <body>${appBody}\n  </body>\n</html>\n`,
      );
      writeFileSync(join(app, 'main.js'), `import 'slm-elements/slm-provider.js';\nimport 'slm-elements/slm-transcriber.js';\nimport 'slm-elements/slm-note.js';\n`);

      // The README's Vite setup: module workers. Nothing else: no plugin, no copied folder.
      const { build } = await import('vite');
      const warnings = [];
      const { createLogger } = await import('vite');
      const logger = createLogger('warn');
      const warn = logger.warn;
      logger.warn = (message, options) => {
        warnings.push(message);
        warn(message, options);
      };
      await build({ root: app, configFile: false, logLevel: 'warn', customLogger: logger, worker: { format: 'es' }, build: { outDir: join(app, 'dist'), manifest: true, emptyOutDir: true } });
      const unresolved = warnings.filter((w) => /doesn't exist at build time|will remain unchanged/.test(w));
      assert.deepEqual(unresolved, [], 'every runtime file the package names is found by Vite');

      // The site: the build, and the fixture models as the /models/ mirror of the conf.
      symlinkSync(join(fixtures, 'models'), join(app, 'dist/models'), 'dir');
      nginxDir = join(work, 'nginx');
      mkdirSync(join(nginxDir, 'logs'), { recursive: true });
      copyFileSync('/etc/nginx/mime.types', join(nginxDir, 'mime.types'));
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      let site = readFileSync(join(repo, 'docs/deploy/nginx.conf'), 'utf8');
      const swap = (from, to) => {
        assert.ok(site.includes(from), `docs/deploy/nginx.conf has "${from}"`);
        site = site.replaceAll(from, to);
      };
      swap('listen 80;', `listen 127.0.0.1:${port};`);
      swap('root /var/www/slm-app;', `root ${join(app, 'dist')};`);
      swap('/var/log/nginx/', `${join(nginxDir, 'logs')}/`);
      writeFileSync(join(nginxDir, 'site.conf'), site);
      writeFileSync(
        join(nginxDir, 'nginx.conf'),
        [
          process.getuid?.() === 0 ? 'user root;' : '',
          'daemon off;',
          'worker_processes 1;',
          `pid ${join(nginxDir, 'nginx.pid')};`,
          `error_log ${join(nginxDir, 'logs/error.log')} warn;`,
          'events { worker_connections 256; }',
          'http {',
          `  access_log ${join(nginxDir, 'logs/access.log')};`,
          ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(nginxDir, `${kind}_temp`)};`),
          `  include ${join(nginxDir, 'site.conf')};`,
          '}',
        ].join('\n'),
      );
      nginx = spawn(nginxBinary, ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', join(nginxDir, 'logs/error.log')], { stdio: ['ignore', 'inherit', 'inherit'] });
      const exited = new Promise((resolve) => nginx.once('exit', (code) => resolve(code)));
      for (;;) {
        const up = await fetch(`${origin}/`).then((r) => r.ok, () => false);
        if (up) break;
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 100))]);
        assert.equal(code, 'running', `nginx exited (${code}): ${readFileSync(join(nginxDir, 'logs/error.log'), 'utf8')}`);
      }
    });
    after(() => {
      if (nginx && nginx.exitCode === null) nginx.kill('SIGQUIT');
    });

    it('prints the bundle sizes: the app shell before any model library, and the rest', () => {
      const dist = join(app, 'dist');
      const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
      const initial = new Set();
      const visit = (key) => {
        const chunk = manifest[key];
        if (!chunk || initial.has(chunk.file)) return;
        initial.add(chunk.file);
        for (const imported of chunk.imports ?? []) visit(imported);
      };
      visit('index.html');
      const shell = [...initial].reduce((sum, file) => sum + gzipped(join(dist, file)), 0);
      const assets = readdirSync(join(dist, 'assets'));
      const size = (pattern) => assets.filter((f) => pattern.test(f)).reduce((sum, f) => sum + gzipped(join(dist, 'assets', f)), 0);
      const raw = (pattern) => assets.filter((f) => pattern.test(f)).reduce((sum, f) => sum + statSync(join(dist, 'assets', f)).size, 0);
      console.log(`# app shell (initial JS, ${initial.size} file(s)): ${kB(shell)} gzipped`);
      console.log(`# workers: transformers ${kB(size(/^transformers\.worker/))}, speech ${kB(size(/^speech-stream\.worker/))}, webllm ${kB(size(/^webllm\.worker/))} gzipped`);
      console.log(`# onnxruntime: ${kB(size(/^ort-wasm.*\.mjs$/))} .mjs, ${kB(raw(/^ort-wasm.*\.wasm$/))} .wasm (${kB(size(/^ort-wasm.*\.wasm$/))} gzipped)`);
      assert.ok(shell < 150 * 1024, `the app shell is ${kB(shell)} gzipped, over 150 kB`);
      assert.ok(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-.*\.wasm$/.test(f)), 'Vite emitted the onnxruntime build a model on WebGPU loads');
      assert.ok(assets.some((f) => /^ort-wasm-simd-threaded-.*\.wasm$/.test(f)), 'Vite emitted the plain onnxruntime build a model on WASM loads');
      assert.ok(assets.some((f) => /^silero_vad_v5-.*\.onnx$/.test(f)), 'Vite emitted the Silero model');
    });

    it('is cross-origin isolated under the CSP, with no violation, and dictates a note from the test models', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // The machine may be loaded; the steps' own bounds are generous, not a measure.
      page.setDefaultTimeout(180_000);
      const requests = [];
      context.on('request', (request) => requests.push(request.url()));
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.addInitScript(() => {
        window.violations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
      });
      const response = await page.goto(`${origin}/`);
      const headers = response.headers();
      assert.match(headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
      assert.equal(headers['cache-control'], 'no-cache');
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP make the page cross-origin isolated');

      const result = await dictate(page, `${origin}/models`);
      assert.ok(result.finals >= 1 && result.items >= 1, `a transcript and a note: ${JSON.stringify(result)}`);
      assert.equal(result.backend, 'wasm');

      // Runtime files came from the build, with the types and caching of the conf.
      // On WASM, the plain build (the models' and the voice detector's); WebGPU's asyncify build is not fetched.
      const wasm = requests.find((url) => /\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(url));
      assert.deepEqual(requests.filter((url) => url.includes('asyncify')), []);
      assert.ok(wasm, `onnxruntime's WASM came from /assets/: ${requests.filter((u) => u.includes('ort-')).join(', ')}`);
      const head = await fetch(wasm, { method: 'HEAD' });
      assert.equal(head.headers.get('content-type'), 'application/wasm');
      assert.match(head.headers.get('cache-control'), /immutable/);
      const mjs = requests.find((url) => /\/assets\/ort-wasm[\w.-]+\.mjs$/.test(url));
      assert.ok(mjs, 'onnxruntime’s .mjs came from /assets/');
      assert.equal((await fetch(mjs, { method: 'HEAD' })).headers.get('content-type'), 'text/javascript');
      const worker = requests.find((url) => /\/assets\/transformers\.worker-[\w-]+\.js$/.test(url));
      assert.match((await fetch(worker, { method: 'HEAD' })).headers.get('content-security-policy') ?? '', /worker-src 'self'/, 'the worker script has the CSP too');
      const model = await fetch(`${origin}/models/slm-test/whisper-tiny-random/resolve/main/config.json`, { method: 'HEAD' });
      assert.match(model.headers.get('cache-control'), /max-age=31536000/);
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !/^(blob|data):/.test(url)), [], 'nothing asked of another host');
      assert.deepEqual(errors, []);

      // The CSP is enforced: an inline script and a foreign host are refused, and their reports
      // reach nginx. (Not eval: DevTools' evaluate, which runs this, is exempt from the CSP's eval rule.)
      const refused = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true;';
        document.head.append(script);
        const fetchRefused = await fetch('http://127.0.0.1:9/csp-probe').then(() => false, () => true);
        return { inlineRefused: !window.inlineRan, fetchRefused };
      });
      assert.deepEqual(refused, { inlineRefused: true, fetchRefused: true });
      const reportLog = join(nginxDir, 'logs/csp-reports.log');
      const reports = () => (existsSync(reportLog) ? readFileSync(reportLog, 'utf8').split('\n').filter(Boolean) : []);
      // Reports are sent in the background; the probe's arriving shows the channel works.
      for (let waited = 0; !reports().some((line) => line.includes('csp-probe')); waited += 200) {
        assert.ok(waited < 60_000, `no CSP report reached nginx: ${reports().join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const pageViolations = await page.evaluate(() => window.violations);
      assert.deepEqual(pageViolations.filter((v) => !/^script-src-elem inline$|csp-probe/.test(v)), [], 'no violation while the app ran');
      const unexpected = reports().filter((line) => !/csp-probe|\\"blocked-uri\\":\\"inline\\"/.test(line));
      assert.deepEqual(unexpected, [], 'no violation reported by the page or its workers');
      await context.close();
    });
  });

  describe('in a plain HTML page with an import map', () => {
    let server;
    let modelHost;
    let origin;
    before(async () => {
      const app = join(work, 'importmap-app');
      installOffline(tarball, app);
      copyFileSync(join(fixtures, 'audio/dictation.wav'), join(app, 'dictation.wav'));
      const importMap = JSON.parse(readFileSync(new URL('./import-map.json', import.meta.url), 'utf8'));
      writeFileSync(
        join(app, 'index.html'),
        `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8"><title>Clinic</title>\n    <script type="importmap">${JSON.stringify(importMap)}</script>\n    <script type="module">import 'slm-elements';</script>\n  </head>\n  <body>${appBody}\n  </body>\n</html>\n`,
      );
      modelHost = createModelHost({ root: join(fixtures, 'models') });
      await modelHost.listen();
      // Any static server: this one sends the files as they are, with COOP/COEP and the
      // types nginx would give them.
      const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.onnx': 'application/octet-stream', '.wav': 'audio/wav' };
      server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        const file = normalize(join(app, path.endsWith('/') ? `${path}index.html` : path));
        if (!file.startsWith(app) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
        res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
        createReadStream(file).pipe(res);
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${server.address().port}`;
    });
    after(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await modelHost?.close();
    });

    it('loads the package from node_modules/ without a bundler and dictates a note', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // The machine may be loaded; the steps' own bounds are generous, not a measure.
      page.setDefaultTimeout(180_000);
      const requests = [];
      context.on('request', (request) => requests.push(request.url()));
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
      const result = await dictate(page, modelHost.url);
      assert.ok(result.finals >= 1 && result.items >= 1, `a transcript and a note: ${JSON.stringify(result)}`);
      const paths = requests.filter((url) => url.startsWith(origin)).map((url) => new URL(url).pathname);
      assert.ok(paths.includes('/node_modules/slm-elements/dist/engine/workers/transformers.worker.js'));
      assert.ok(paths.includes('/node_modules/slm-elements/dist/ort/ort-wasm-simd-threaded.wasm'));
      assert.ok(!paths.some((p) => p.includes('asyncify')), 'a model on WASM does not fetch WebGPU’s asyncify build');
      assert.ok(paths.includes('/node_modules/slm-elements/dist/vad/silero_vad_v5.onnx'));
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
});

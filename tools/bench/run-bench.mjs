// Benchmarks print numbers; they are not tests. Usage: node tools/bench/run-bench.mjs llm
import { startDevServer } from '@web/dev-server';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import config from '../../web-dev-server.config.mjs';
import { requireCommands } from './bench-requirements.mjs';
import { ensureLatencyDictation } from './latency-dictation.mjs';
import { ensureMemoryModel } from './memory-model.mjs';
import { ensureProbe, runLoad, table } from './load-run.mjs';
import { ensureLoadApp, LOAD_APP_DIR, LOAD_APP_PAGE } from './load-app.mjs';
import { runSoak } from './soak-run.mjs';
import { ensureSpeechModels } from './speech-models.mjs';

const which = process.argv[2] ?? 'llm';
/** BENCH_GZIP=0: the load bench sends scripts, JSON and WebAssembly uncompressed, as the dev server does. */
const BENCH_GZIP = process.env.BENCH_GZIP;
const loadAtStart = os.loadavg();
const pages = {
  llm: '/tools/bench/llm-bench.html',
  asr: '/tools/bench/asr-bench.html',
  note: '/tools/bench/note-bench.html',
  'log-mel': '/tools/bench/log-mel/log-mel-bench.html',
  memory: '/tools/bench/memory-bench.html',
  load: '/tools/bench/load-bench.html',
  latency: '/tools/bench/latency-bench.html',
  soak: '/tools/bench/soak-bench.html',
};
if (!pages[which]) {
  console.error(`unknown benchmark ${which}; try: ${Object.keys(pages).join(', ')}`);
  process.exit(2);
}

const launchArgs = [];
// The LLM bench's baseline runs Transformers.js in the page itself, which the page's CSP forbids
// (only workers may compile WebAssembly: tools/dev-server/csp.mjs); our path runs in its worker either way.
if (which === 'llm') process.env.SLM_CSP ??= 'off';
// Headless Chromium's WebGPU here is SwiftShader; on the NVIDIA machine see tools/bench/log-mel/prepare-gpu.sh.
if (which === 'log-mel') launchArgs.push('--enable-unsafe-webgpu');
if (which === 'asr') {
  // Generated here, never committed: a random Whisper (or Moonshine) of tiny's size (fp32 and q8), and two minutes of dictation.
  // `model=moonshine` benchmarks a random Moonshine of moonshine-tiny's size instead.
  // `preview=moonshine` adds Moonshine as the preview model beside Whisper.
  const args = process.argv.slice(3);
  const models = [];
  if (!args.includes('model=moonshine')) models.push('whisper');
  if (args.includes('model=moonshine') || args.includes('preview=moonshine')) models.push('moonshine');
  ensureSpeechModels(models);
  if (!existsSync('bench-data/dictation-2min.wav')) {
    requireCommands(['sox'], 'The speech bench joins its dictation', 'sox');
    const wav = 'test/fixtures/audio/dictation.wav';
    execFileSync('sox', [...Array(8).fill(wav), 'bench-data/dictation-2min.wav']);
  }
  launchArgs.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${process.cwd()}/bench-data/dictation-2min.wav%noloop`);
}

if (which === 'latency') {
  // `models=moonshine` or `models=whisper` measures one (default both); `webgpu` adds SwiftShader's WebGPU beside WASM.
  const kinds = (/(?:^|&)models=([^&]+)/.exec(process.argv.slice(3).join('&'))?.[1] ?? 'moonshine,whisper').split(',');
  ensureSpeechModels(kinds);
  const dictation = ensureLatencyDictation().replace(/\.json$/, '.wav');
  launchArgs.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${process.cwd()}/${dictation}%noloop`, '--enable-unsafe-webgpu');
}

if (which === 'memory') {
  // `models=qwen` skips the generated model (and `models=fixture` its generation).
  if (!process.argv.slice(3).some((arg) => /^models=(?!.*qwen)/.test(arg))) ensureMemoryModel();
  // The fixture LLM runs on SwiftShader's WebGPU.
  launchArgs.push('--enable-unsafe-webgpu');
}

// `model=whisper-tiny-size`: a random Whisper of whisper-tiny's size instead of the test fixture.
if (which === 'soak' && process.argv.slice(3).includes('model=whisper-tiny-size')) ensureSpeechModels(['whisper']);

if (which === 'load') {
  // Models of the real sizes (random weights): the default speech model's size, and Qwen2.5-0.5B's shape in q4.
  mkdirSync('bench-data/models/slm-test', { recursive: true });
  if (!process.argv.slice(3).some((arg) => arg.startsWith('asr='))) ensureSpeechModels(['whisperBase']);
  // The language model only where a profile loads it (5G without `parts=asr`).
  if (!process.argv.slice(3).some((arg) => arg === 'profiles=slow-4g' || arg === 'parts=asr')) ensureMemoryModel();
  ensureProbe();
  // `app=dev`: the dev server's page (each source module on its own request) instead of the built app.
  if (!process.argv.slice(3).includes('app=dev')) await ensureLoadApp({ prebuilt: process.env.LOAD_APP === 'prebuilt' });
}

const benchModels = (ctx, next) => {
  const match = /^\/bench-models\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(ctx.path);
  if (match) ctx.url = `/bench-data/models/${match[1]}/${match[2]}/${match[3]}`;
  return next();
};
// BENCH_ISOLATED=0 serves the page without cross-origin isolation (onnxruntime then runs one thread), to compare.
const notIsolated = async (ctx, next) => {
  await next();
  if (process.env.BENCH_ISOLATED !== '0') return;
  ctx.remove('Cross-Origin-Opener-Policy');
  ctx.remove('Cross-Origin-Embedder-Policy');
};
// The load bench's page is served as the documented deployment serves it (docs/deploy/nginx.conf),
// which the dev server does not: onnxruntime's files cached for a year (so the warm reload finds
// them), and the types nginx's `gzip_types` names (scripts, JSON, WebAssembly) gzipped at nginx's
// default level 1, so the emulated link carries the compressed bytes (WebAssembly shrinks to about a
// quarter, Transformers.js's 3.6 MB script to under a quarter). Model files are sent as they are.
const GZIP_TYPES = /javascript|json|wasm|css|svg/;
const gzipped = new Map();
const deployedCaching = async (ctx, next) => {
  await next();
  if (which !== 'load' || ctx.status !== 200 || ctx.path.startsWith('/bench-models/')) return;
  if (/^\/(?:src|dist)\/ort\/[\w.-]+\.(?:wasm|mjs)$/.test(ctx.path) || ctx.path.startsWith(`/${LOAD_APP_DIR}/assets/`)) ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  if (BENCH_GZIP === '0' || !ctx.acceptsEncodings('gzip') || !GZIP_TYPES.test(ctx.response.type ?? '') || ctx.response.get('Content-Encoding')) return;
  const body = ctx.body;
  let bytes;
  if (typeof body === 'string' || Buffer.isBuffer(body)) bytes = Buffer.from(body);
  else if (body && typeof body[Symbol.asyncIterator] === 'function') {
    const chunks = [];
    for await (const chunk of body) chunks.push(chunk);
    bytes = Buffer.concat(chunks);
  } else return;
  // The dev server's modules are transformed per request; the gzip is kept per path and content.
  const key = `${ctx.path} ${bytes.length}`;
  if (!gzipped.has(key)) gzipped.set(key, gzipSync(bytes, { level: 1 }));
  ctx.body = gzipped.get(key);
  ctx.set('Content-Encoding', 'gzip');
  ctx.vary('Accept-Encoding');
};
// The built app is sent as built: the dev server's transforms would rewrite its bundles (and fail
// on onnxruntime's Node branch, `import("module")`).
const builtApp = async (ctx, next) => {
  if (!ctx.path.startsWith(`/${LOAD_APP_DIR}/`)) return next();
  const file = path.resolve(ctx.path.slice(1));
  if (!file.startsWith(path.resolve(LOAD_APP_DIR) + path.sep) || !existsSync(file) || !statSync(file).isFile()) return next();
  ctx.type = path.extname(file);
  ctx.body = createReadStream(file);
};
const server = await startDevServer({
  config: { ...config, port: 0, watch: false, open: false, middleware: [notIsolated, deployedCaching, benchModels, ...config.middleware, builtApp] },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const { port } = server.server.address();
const query = process.argv.slice(3).join('&');
try {
  const origin = `http://localhost:${port}`;
  const args = process.argv.slice(3);
  const page = args.includes('app=dev') ? pages.load : LOAD_APP_PAGE;
  const value = which === 'load' ? await runLoad({ origin, page, launchArgs, args, log: console.log }) : which === 'soak' ? await runSoak({ origin, args, log: console.log }) : await runPage();
  if (which === 'load') console.log(`\n${table(value.summary)}`);
  writeResult(value);
} finally {
  await server.stop();
}

/** Opens the bench's page in a fresh browser and returns what it sets on `window.benchResult`. */
async function runPage() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...launchArgs],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (!/No language specified/.test(message.text())) console.log(message.text());
    });
    page.on('pageerror', (error) => console.error(error));
    // The page may ask for a Chromium trace of a stretch of itself (the live dictation), to tell
    // the main thread's own work from time it spent waiting for a core. BENCH_TRACE=file.json
    // keeps the traces as file-1.json, file-2.json… (open them in DevTools' Performance panel);
    // BENCH_TRACE_CATEGORIES adds categories (e.g. disabled-by-default-v8.gc).
    let pressureAtStart = 0;
    let traces = 0;
    let wallAtStart = 0;
    await page.exposeFunction('benchTrace', async (command) => {
      if (command === 'start') {
        const extra = process.env.BENCH_TRACE_CATEGORIES?.split(',') ?? [];
        const path = process.env.BENCH_TRACE?.replace(/(\.json)?$/, `-${++traces}.json`);
        await browser.startTracing(page, { path, categories: ['toplevel', 'devtools.timeline', 'blink.user_timing', ...extra] });
        pressureAtStart = cpuPressure();
        wallAtStart = performance.now();
        return null;
      }
      const waited = (cpuPressure() - pressureAtStart) / 1000 / (performance.now() - wallAtStart);
      return { ...mainThreadTasks(JSON.parse((await browser.stopTracing()).toString())), cpuPressure: Number.isFinite(waited) ? waited : null };
    });
    // Anything after the benchmark's name is its query, e.g. `asr parts=live dtype=q8`.
    await page.goto(`http://localhost:${port}${pages[which]}${query ? `?${query}` : ''}`);
    const result = await page.waitForFunction(() => window.benchResult, null, { timeout: 1_800_000, polling: 1000 });
    const value = await result.jsonValue();
    if (value.error) throw new Error(value.error);
    return value;
  } finally {
    await browser.close();
  }
}

/**
 * Every bench's figures go to `bench-results/<bench>-<date>.json` with the command and the
 * machine (load average at start and end: figures from a busy machine read differently). Runs
 * of one day (e.g. one per model) accumulate in the day's file; `BENCH_RESULTS=dir` writes
 * elsewhere (`npm run bench` keeps a run's files together).
 */
function writeResult(value) {
  const date = new Date().toISOString().slice(0, 10);
  const dir = process.env.BENCH_RESULTS ?? 'bench-results';
  const path = `${dir}/${which}-${date}.json`;
  mkdirSync(dir, { recursive: true });
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg() };
  const earlier = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
  const runs = earlier ? (earlier.runs ?? [earlier]) : [];
  runs.push({ command: `npm run bench:${which}${query ? ` -- ${process.argv.slice(3).join(' ')}` : ''}`, finishedAt: new Date().toISOString(), machine, ...value });
  writeFileSync(path, `${JSON.stringify({ date, runs }, null, 2)}\n`);
  console.log(`written: ${path} (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

/** Microseconds some runnable thread on this machine has waited for a core (Linux PSI), or NaN. */
function cpuPressure() {
  try {
    return Number(/some .*total=(\d+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))[1]);
  } catch {
    return NaN;
  }
}

/**
 * The page's main-thread tasks between its `bench-live-start` and `bench-live-end` marks: the
 * longest by wall time and by CPU time (trace events carry both), and what ran in them.
 */
function mainThreadTasks(trace) {
  const events = trace.traceEvents ?? trace;
  const start = events.find((e) => e.name === 'bench-trace-start');
  const end = events.find((e) => e.name === 'bench-trace-end');
  if (!start || !end) return { error: 'marks missing from the trace' };
  const thread = (e) => `${e.pid}:${e.tid}`;
  const main = thread(start);
  const own = events.filter((e) => thread(e) === main && e.ph === 'X' && e.ts >= start.ts && e.ts <= end.ts).sort((a, b) => a.ts - b.ts);
  // One event per task the thread's scheduler ran (the 'toplevel' category), with wall and CPU time.
  const tasks = own.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const describe = (task) => {
    const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur);
    const source = [task, ...inside].find((e) => e.args?.src_func);
    const script = inside.find((e) => e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire');
    const data = script?.args?.data ?? {};
    const url = String(data.url ?? '').replace(/^https?:\/\/[^/]+/, '');
    const heaviest = inside
      .filter((e) => !/RunTask|RunMicrotasks|FunctionCall|TimerFire|EventDispatch|OnHandleReady|mojo|HandlePostMessage/.test(e.name) && !e.args?.src_func)
      .sort((a, b) => (b.tdur ?? b.dur ?? 0) - (a.tdur ?? a.dur ?? 0))[0];
    return [
      source ? `${source.args.src_file.split('/').pop()}:${source.args.src_func}` : 'task',
      script ? `${script.name} ${data.functionName || data.type || ''} ${url}`.trim() : '',
      heaviest ? `mostly ${heaviest.name}` : '',
    ]
      .filter(Boolean)
      .join(', ');
  };
  const ms = (us) => Math.round((us ?? 0) / 100) / 10;
  // CPU time of every thread of the page's renderer (main, workers, audio), by thread name.
  const names = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [thread(e), e.args.name]));
  const cpuByThread = {};
  for (const e of events) {
    if (e.pid !== start.pid || e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || e.ts < start.ts || e.ts > end.ts) continue;
    const name = `${names.get(thread(e)) ?? 'thread'} ${e.tid}`;
    cpuByThread[name] = (cpuByThread[name] ?? 0) + (e.tdur ?? 0) / 1e6;
  }
  const byWall = tasks.reduce((a, b) => (b.dur > (a?.dur ?? -1) ? b : a), null);
  const byCpu = tasks.reduce((a, b) => ((b.tdur ?? 0) > (a?.tdur ?? -1) ? b : a), null);
  return {
    cpuByThread,
    tasks: tasks.length,
    cpuSeconds: tasks.reduce((sum, t) => sum + (t.tdur ?? 0), 0) / 1e6,
    seconds: (end.ts - start.ts) / 1e6,
    longestWall: byWall && { wallMs: ms(byWall.dur), cpuMs: ms(byWall.tdur), what: describe(byWall) },
    longestCpu: byCpu && { wallMs: ms(byCpu.dur), cpuMs: ms(byCpu.tdur), what: describe(byCpu) },
    overFiftyWall: tasks.filter((t) => t.dur > 50_000).length,
    overFiftyCpu: tasks.filter((t) => (t.tdur ?? 0) > 50_000).length,
  };
}

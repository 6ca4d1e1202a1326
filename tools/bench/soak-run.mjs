// `npm run bench:soak`: a long synthesised dictation through `<slm-transcriber>`'s file path and
// its live path (Chromium's fake microphone), on WASM and on the browser's WebGPU (SwiftShader
// here), sampling memory every `every` seconds: the page's and every worker's JS heap (CDP
// `Runtime.getHeapUsage` on each target, after a collection), the speech worker's own report
// (WebAssembly heap, live GPU buffers) and its recycles. Prints each curve as a table and says
// whether it is flat (the fitted growth over the last two thirds of the run).
//
// Arguments: `path=file,live` (default both), `device=wasm,webgpu` (default wasm),
// `minutes=5` (of dictation), `every=30` (seconds between samples), `model=fixture|whisper-tiny-size`,
// `recycle=readings:N,wasm:MiB,gpu:MiB` (limits other than the engine's defaults).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { requireCommands } from './bench-requirements.mjs';
import { ensureLatencyDictation, LATENCY_DICTATION } from './latency-dictation.mjs';

const MiB = 2 ** 20;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The latency bench's twenty utterances (with their pauses and a room's hiss) repeated to `minutes`. */
export function ensureSoakDictation(minutes) {
  const wav = `bench-data/soak-dictation-${minutes}min.wav`;
  if (existsSync(wav)) return wav;
  mkdirSync('bench-data', { recursive: true });
  ensureLatencyDictation();
  requireCommands(['sox', 'soxi'], 'The soak bench repeats its dictation', 'sox');
  const once = Number(execFileSync('soxi', ['-D', LATENCY_DICTATION]).toString().trim());
  execFileSync('sox', [LATENCY_DICTATION, wav, 'repeat', String(Math.ceil((minutes * 60) / once)), 'trim', '0', String(minutes * 60)]);
  return wav;
}

export async function runSoak({ origin, args, log }) {
  const arg = (name, fallback) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const paths = arg('path', 'file,live').split(',');
  const devices = arg('device', 'wasm').split(',');
  const minutes = Number(arg('minutes', '5'));
  const every = Number(arg('every', '30'));
  const pageQuery = new URLSearchParams({ model: arg('model', 'fixture') });
  if (arg('recycle', '')) pageQuery.set('recycle', arg('recycle', ''));
  const wav = ensureSoakDictation(minutes);
  const runs = [];
  for (const device of devices) {
    for (const path of paths) {
      log(`\n${path} path on ${device}: ${minutes} min of dictation, a sample every ${every} s`);
      const run = await soakOnce({ origin, path, device, wav, minutes, every, query: `${pageQuery}&device=${device}`, log });
      log(table(run.samples));
      run.verdict = verdicts(run.samples);
      for (const [metric, v] of Object.entries(run.verdict)) log(`  ${metric}: ${v.text}`);
      runs.push(run);
    }
  }
  return { minutes, every, model: arg('model', 'fixture'), recycle: arg('recycle', null), runs };
}

async function soakOnce({ origin, path, device, wav, minutes, every, query, log }) {
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
  if (device === 'webgpu') args.push('--enable-unsafe-webgpu');
  // performance.measureUserAgentSpecificMemory() at once, not at the next scheduled collection.
  args.push('--enable-blink-features=ForceEagerMeasureMemory');
  if (path === 'live') args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${process.cwd()}/${wav}%noloop`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`  page error: ${error}`));
    page.on('console', (message) => {
      if (message.type() === 'error') log(`  console: ${message.text()}`);
    });
    const heaps = await watchHeaps(context, page);
    await page.goto(`${origin}/tools/bench/soak-bench.html?${query}`);
    await page.waitForFunction(() => 'soak' in window);
    const placement = await page.evaluate(() => window.soak.load());
    log(`  ${placement.model} on ${placement.backend} (${placement.dtype}), ${placement.crossOriginIsolated ? `${placement.threads} cores` : 'one thread'}`);
    const samples = [];
    const started = Date.now();
    const sample = async () => {
      const [status, usage] = [await page.evaluate(() => window.soak.status()), await heaps.sample()];
      const row = { t: (Date.now() - started) / 1000, ...usage, allMemoryMiB: await allMemory(page), ...pick(status) };
      samples.push(row);
      log(`  ${line(row)}`);
      return status;
    };
    await sample();
    if (path === 'file') {
      await page.evaluate((url) => window.soak.startFile(url), `/${wav}`);
      for (;;) {
        await sleep(every * 1000);
        if ((await sample()).done) break;
      }
    } else {
      await page.evaluate(() => window.soak.startLive());
      const end = started + minutes * 60_000 + 2_000;
      while (Date.now() < end) {
        await sleep(Math.min(every * 1000, Math.max(0, end - Date.now())));
        await sample();
      }
      await page.evaluate(() => window.soak.stopLive());
      await sample();
    }
    const status = await page.evaluate(() => window.soak.status());
    log(`  ${status.finals} final segments (${status.characters} characters) to ${status.transcribedTo.toFixed(0)} s; ${status.memory?.recycles ?? 0} recycles; ${status.errors.length} errors${status.errors.length ? `: ${status.errors.slice(0, 3).join('; ')}` : ''}${status.fileSeconds ? `; the file took ${status.fileSeconds.toFixed(0)} s` : ''}`);
    return { path, device, placement, status, samples };
  } finally {
    await browser.close();
  }
}

/**
 * The page's and its workers' memory as the browser counts it, typed arrays' buffers included:
 * the JS heap figures leave those out, so audio held in a worker showed there as 0.2 MiB a
 * minute of small wrappers instead of its 3.8 MB. Null where the page is not cross-origin isolated.
 */
async function allMemory(page) {
  const bytes = await page.evaluate(async () => {
    const measure = performance.measureUserAgentSpecificMemory?.bind(performance);
    return crossOriginIsolated && measure ? (await measure()).bytes : null;
  });
  return bytes == null ? null : bytes / MiB;
}

const pick = (status) => ({
  transcribedTo: status.transcribedTo,
  finals: status.finals,
  queued: status.queued,
  readings: status.memory?.readings ?? null,
  recycles: status.memory?.recycles ?? 0,
  wasmHeapMiB: mib(status.memory?.latest?.wasmHeapBytes),
  gpuBufferMiB: mib(status.memory?.latest?.gpuBufferBytes),
  gpuBuffers: status.memory?.latest?.gpuBuffers ?? null,
});
const mib = (bytes) => (bytes == null ? null : bytes / MiB);
const fixed = (value, digits = 1) => (value == null ? '–' : value.toFixed(digits));
const line = (r) =>
  `t ${fixed(r.t, 0)} s, audio to ${fixed(r.transcribedTo, 0)} s: all ${fixed(r.allMemoryMiB)} MiB, page heap ${fixed(r.pageHeapMiB)} MiB, workers ${fixed(r.workerHeapMiB)} MiB (${r.workers}), speech model worker ${fixed(r.speechWorkerHeapMiB)} MiB; WASM heap ${fixed(r.wasmHeapMiB)} MiB, GPU buffers ${fixed(r.gpuBufferMiB)} MiB; ${r.recycles} recycles`;

/**
 * The JS heap of the page and of every worker it starts, nested ones too (onnxruntime's
 * threads), through CDP's non-flat sessions (as the privacy audit does): each is collected
 * first, so the figure is what is alive, not garbage yet to go.
 */
async function watchHeaps(context, page) {
  const cdp = await context.newCDPSession(page);
  /** sessionId → { parent: sessionId | null, url } */
  const targets = new Map();
  const waiting = new Map();
  let next = 1;
  const sendRaw = (sessionId, message) => {
    const parent = targets.get(sessionId)?.parent;
    if (parent) return call(parent, 'Target.sendMessageToTarget', { sessionId, message });
    return cdp.send('Target.sendMessageToTarget', { sessionId, message });
  };
  /** A protocol call on one worker; null if it does not answer in 10 s. */
  const call = (sessionId, method, params = {}) =>
    new Promise((resolve) => {
      const id = next++;
      const key = `${sessionId}:${id}`;
      const timer = setTimeout(() => (waiting.delete(key), resolve(null)), 10_000);
      waiting.set(key, (result) => (clearTimeout(timer), resolve(result)));
      sendRaw(sessionId, JSON.stringify({ id, method, params })).catch(() => (clearTimeout(timer), waiting.delete(key), resolve(null)));
    });
  const attached = (sessionId, parent, info) => {
    if (info.type !== 'worker') return;
    targets.set(sessionId, { parent, url: info.url });
    void call(sessionId, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  };
  const receive = (sessionId, message) => {
    if (message.id !== undefined) {
      waiting.get(`${sessionId}:${message.id}`)?.(message.result ?? null);
      waiting.delete(`${sessionId}:${message.id}`);
    } else if (message.method === 'Target.attachedToTarget') attached(message.params.sessionId, sessionId, message.params.targetInfo);
    else if (message.method === 'Target.detachedFromTarget') targets.delete(message.params.sessionId);
    else if (message.method === 'Target.receivedMessageFromTarget') receive(message.params.sessionId, JSON.parse(message.params.message));
  };
  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => attached(sessionId, null, targetInfo));
  cdp.on('Target.detachedFromTarget', ({ sessionId }) => targets.delete(sessionId));
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => receive(sessionId, JSON.parse(message)));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return {
    async sample() {
      await cdp.send('HeapProfiler.collectGarbage');
      const page = await cdp.send('Runtime.getHeapUsage');
      const byWorker = [];
      for (const [sessionId, { url }] of targets) {
        await call(sessionId, 'HeapProfiler.collectGarbage');
        const usage = await call(sessionId, 'Runtime.getHeapUsage');
        if (usage) byWorker.push({ url, used: usage.usedSize });
      }
      const sum = (list) => list.reduce((n, w) => n + w.used, 0) / MiB;
      // Which worker holds what, by script name (onnxruntime's threads share one).
      const perWorker = {};
      for (const w of byWorker) {
        const name = w.url.split('?')[0].split('/').pop() || w.url;
        perWorker[name] = (perWorker[name] ?? 0) + w.used / MiB;
      }
      return {
        perWorker,
        pageHeapMiB: page.usedSize / MiB,
        workerHeapMiB: sum(byWorker),
        workers: byWorker.length,
        speechWorkerHeapMiB: byWorker.some((w) => /transformers\.worker/.test(w.url)) ? sum(byWorker.filter((w) => /transformers\.worker/.test(w.url))) : null,
      };
    },
  };
}

const COLUMNS = [
  ['t s', (r) => fixed(r.t, 0)],
  ['audio s', (r) => fixed(r.transcribedTo, 0)],
  ['all MiB', (r) => fixed(r.allMemoryMiB)],
  ['page MiB', (r) => fixed(r.pageHeapMiB)],
  ['workers MiB', (r) => fixed(r.workerHeapMiB)],
  ['(n)', (r) => String(r.workers)],
  ['model worker JS MiB', (r) => fixed(r.speechWorkerHeapMiB)],
  ['WASM MiB', (r) => fixed(r.wasmHeapMiB)],
  ['GPU MiB', (r) => fixed(r.gpuBufferMiB)],
  ['readings', (r) => String(r.readings ?? '–')],
  ['recycles', (r) => String(r.recycles)],
];

export function table(samples) {
  const rows = samples.map((r) => COLUMNS.map(([, f]) => f(r)));
  const widths = COLUMNS.map(([h], i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (cells) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [fmt(COLUMNS.map(([h]) => h)), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(fmt)].join('\n');
}

/**
 * Flat or not, per curve: a least-squares line through the samples of the last two thirds of
 * the run (the first third holds the warm-up: buffers sized, caches filled), and the growth it
 * gives over that stretch. Flat when that growth is under 5% of the curve's mean or under 2 MiB.
 */
export function verdicts(samples) {
  const from = samples[0].t + (samples.at(-1).t - samples[0].t) / 3;
  const tail = samples.filter((s) => s.t >= from);
  const out = {};
  for (const [metric, key] of [
    ['page and workers, buffers included', 'allMemoryMiB'],
    ['page JS heap', 'pageHeapMiB'],
    ['workers JS heap', 'workerHeapMiB'],
    ['speech model worker JS heap', 'speechWorkerHeapMiB'],
    ['speech model worker WASM heap', 'wasmHeapMiB'],
    ['speech model worker GPU buffers', 'gpuBufferMiB'],
  ]) {
    const points = tail.filter((s) => s[key] != null).map((s) => [s.t / 60, s[key]]);
    if (points.length < 3) {
      out[metric] = { flat: null, text: 'too few samples to say' };
      continue;
    }
    const n = points.length;
    const mx = points.reduce((a, [x]) => a + x, 0) / n;
    const my = points.reduce((a, [, y]) => a + y, 0) / n;
    const slope = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / (points.reduce((a, [x]) => a + (x - mx) ** 2, 0) || 1);
    const span = points.at(-1)[0] - points[0][0];
    const growth = slope * span;
    // A leak grows; memory that falls (a cache let go, a recycled worker) is not one.
    const limit = Math.max(2, 0.05 * Math.abs(my));
    const flat = growth < limit;
    const verdict = !flat ? 'NOT flat' : growth <= -limit ? 'falling' : 'flat';
    const range = `${Math.min(...points.map((p) => p[1])).toFixed(1)}–${Math.max(...points.map((p) => p[1])).toFixed(1)} MiB`;
    out[metric] = { flat, slopeMiBPerMinute: slope, growthMiB: growth, meanMiB: my, text: `${verdict}: ${slope >= 0 ? '+' : ''}${slope.toFixed(3)} MiB/min over the last two thirds (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB in ${span.toFixed(1)} min; ${range}, mean ${my.toFixed(1)})` };
  }
  return out;
}

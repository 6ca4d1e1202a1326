// `npm run bench:load`: the load page (load-bench.ts) in a fresh browser profile per network
// profile, under DevTools network emulation: a cold load, then a reload in the same profile (warm).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Lighthouse's slow 4G (its simulated throttling) and a 5G-like link; throughputs in Mbit/s. */
export const PROFILES = {
  '5g': { label: '5G', downMbps: 100, upMbps: 30, latencyMs: 20 },
  'slow-4g': { label: 'slow 4G', downMbps: 1.6, upMbps: 0.75, latencyMs: 150 },
};

export const SPEECH_MODEL = 'slm-test/whisper-base-size-random';
export const PROBE_FILE = 'bench-data/probe-8mb.bin';

/** The probe file the slow-4G run times (random bytes: nothing on the way can compress them). */
export function ensureProbe() {
  if (existsSync(PROBE_FILE)) return;
  const bytes = Buffer.alloc(8e6);
  for (let i = 0; i < bytes.length; i += 65_536) bytes.set(cryptoBytes(Math.min(65_536, bytes.length - i)), i);
  writeFileSync(PROBE_FILE, bytes);
}
function cryptoBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/**
 * Runs the page cold and warm under each profile. Slow 4G loads the speech model alone unless
 * `slow4g=full` (hundreds of MB at 1.6 Mbit/s is most of an hour): by default it times the link
 * with the probe and projects the cold figures from the 5G run (see `project`), and measures the
 * warm ones for real: the speech model's page loaded once without throttling fills the cache,
 * then reloads over slow 4G.
 * @param {{ origin: string, page: string, launchArgs: string[], args: string[], log: (line: string) => void }} options
 *   `page`: the path of the load page (the built app's, or the dev server's with `app=dev`).
 */
export async function runLoad({ origin, page, launchArgs, args, log }) {
  const wanted = (args.find((a) => a.startsWith('profiles='))?.slice(9) ?? '5g,slow-4g').split(',');
  const slowFull = args.includes('slow4g=full');
  // `parts=asr`: the speech model alone on every profile (a quick run).
  const speechOnly = args.includes('parts=asr');
  const asr = args.find((a) => a.startsWith('asr='))?.slice(4);
  const extra = asr ? `&asr=${encodeURIComponent(asr)}` : '';
  const runs = {};
  for (const name of wanted) {
    const profile = PROFILES[name];
    if (!profile) throw new Error(`unknown profile ${name}; try: ${Object.keys(PROFILES).join(', ')}`);
    const query = name === 'slow-4g' && !slowFull ? 'parts=probe' : `parts=asr${name === 'slow-4g' || speechOnly ? '' : ',llm'}${extra}`;
    log(`${profile.label} (${profile.downMbps} Mbit/s down, ${profile.latencyMs} ms latency): ${query}`);
    // A probe caches nothing worth reloading for.
    const warm = !query.includes('probe');
    runs[name] = { profile, query, ...(await coldAndWarm(`${origin}${page}?${query}`, profile, launchArgs, log, { reload: warm, listRequests: args.includes('requests') })) };
    if (!warm) {
      const primed = `parts=asr${extra}`;
      log(`${profile.label}, warm only: ${primed}, loaded once without throttling`);
      const { warm: measured } = await coldAndWarm(`${origin}${page}?${primed}`, profile, launchArgs, log, { reload: true, primeUnthrottled: true, listRequests: args.includes('requests') });
      Object.assign(runs[name], { warm: measured, warmQuery: primed });
    }
  }
  if (runs['5g'] && runs['slow-4g']?.cold.probeMbps) runs['slow-4g'].projected = project(runs['5g'], runs['slow-4g']);
  return { runs, summary: summarise(runs) };
}

/**
 * `primeUnthrottled`: the first load runs without the emulated link (it only fills the cache, and
 * its figures are not the profile's cold ones); the reload runs over the link.
 */
async function coldAndWarm(url, profile, launchArgs, log, { reload, listRequests, primeUnthrottled = false }) {
  // A profile on disk, as a browser has: Cache Storage there, not in memory.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slm-load-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...launchArgs],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (!/No language specified/.test(message.text())) log(`  ${message.text()}`);
    });
    page.on('pageerror', (error) => log(`  page error: ${error}`));
    // `requests`: each request of the page and its workers, from navigation start, to see what waits on what.
    let navigatedAt = 0;
    if (listRequests) {
      const started = new Map();
      context.on('request', (request) => started.set(request, Date.now()));
      context.on('requestfinished', async (request) => {
        const sizes = await request.sizes().catch(() => null);
        const from = ((started.get(request) - navigatedAt) / 1000).toFixed(1);
        const to = ((Date.now() - navigatedAt) / 1000).toFixed(1);
        log(`    ${from} → ${to} s  ${((sizes?.responseBodySize ?? 0) / 1e6).toFixed(2)} MB  ${request.url().replace(/^https?:\/\/[^/]+/, '')}`);
      });
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const throttle = () =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: profile.latencyMs,
        downloadThroughput: (profile.downMbps * 1e6) / 8,
        uploadThroughput: (profile.upMbps * 1e6) / 8,
      });
    if (!primeUnthrottled) await throttle();
    const result = async () => {
      const handle = await page.waitForFunction(() => window.benchResult, null, { timeout: 3_600_000, polling: 500 });
      const value = await handle.jsonValue();
      if (value.error) throw new Error(value.error);
      return value;
    };
    navigatedAt = Date.now();
    await page.goto(url);
    const cold = await result();
    if (!reload) return { cold, warm: null };
    if (primeUnthrottled) await throttle();
    log('  warm: the same profile, reloaded');
    navigatedAt = Date.now();
    await page.reload();
    const warm = await result();
    return { cold, warm };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Slow 4G from the 5G run: the page's code as measured on slow 4G, each model's bytes at the
 * probe's throughput, and what the 5G run spent after its downloads (building the sessions,
 * transcribing) unchanged, since that is CPU work, not the link's.
 */
export function project(fast, slow) {
  const { shellMs, probeMbps } = slow.cold;
  const downloadMs = (bytes) => (bytes * 8) / (probeMbps * 1000);
  const asr = fast.cold.models.asr;
  const speechDownloadMs = downloadMs(asr.bytes);
  const afterSpeech = fast.cold.firstWordsMs - asr.downloadEndMs;
  const projected = {
    method: 'page code measured on slow 4G + model bytes at the probe’s throughput + the 5G run’s time after each download',
    probeMbps,
    speechReadyMs: shellMs + speechDownloadMs + (asr.readyMs - asr.downloadEndMs),
    firstWordsMs: shellMs + speechDownloadMs + afterSpeech,
  };
  const llm = fast.cold.models.llm;
  if (llm) {
    const llmReadyMs = shellMs + speechDownloadMs + downloadMs(llm.bytes) + (llm.readyMs - llm.downloadEndMs);
    projected.llmReadyMs = llmReadyMs;
    projected.chatFirstTokenMs = llmReadyMs + (fast.cold.chatFirstTokenMs - llm.readyMs);
    projected.noteModelUpdateMs = llmReadyMs + (fast.cold.noteModelUpdateMs - llm.readyMs);
  }
  return projected;
}

/**
 * The rows of the table: each figure cold and warm, and their ratio. `speechReadyMs` is the
 * speech model's `slm-ready`, the readiness the warm-reload goal is about.
 */
export function summarise(runs) {
  const rows = [];
  const figure = (result, key) => (key === 'speechReadyMs' ? result?.models?.asr?.readyMs : result?.[key]);
  for (const [name, run] of Object.entries(runs)) {
    for (const key of ['speechReadyMs', 'firstWordsMs', 'noteModelUpdateMs', 'chatFirstTokenMs']) {
      const measured = figure(run.cold, key);
      const cold = measured ?? run.projected?.[key] ?? null;
      if (cold === null || cold === undefined) continue;
      const warm = figure(run.warm, key) ?? null;
      rows.push({ profile: name, figure: key, coldMs: cold, projected: measured === undefined || measured === null, warmMs: warm, coldOverWarm: warm ? cold / warm : null });
    }
  }
  return rows;
}

/** The table `npm run bench:load` prints. */
export function table(rows) {
  const label = { speechReadyMs: 'speech model ready', firstWordsMs: 'first transcribed words', noteModelUpdateMs: "note's first model update", chatFirstTokenMs: 'first chat token' };
  const s = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
  const lines = [`${'profile'.padEnd(8)} ${'from page load to'.padEnd(27)} ${'cold'.padStart(10)} ${'warm'.padStart(8)} ${'cold/warm'.padStart(10)}`];
  for (const row of rows) {
    lines.push(`${row.profile.padEnd(8)} ${label[row.figure].padEnd(27)} ${`${row.projected ? '~' : ''}${s(row.coldMs)}`.padStart(10)} ${s(row.warmMs).padStart(8)} ${(row.coldOverWarm ? `${row.coldOverWarm.toFixed(1)}×` : '—').padStart(10)}`);
  }
  lines.push('(~ projected, not run: see the README; goals: first words ≤ 15 s cold on 5G, a warm reload ready ≥ 10× faster)');
  return lines.join('\n');
}

// `npm run bench`: every CPU benchmark in turn, each in its own process (one failing does not stop
// the others), then one page of charts, bench-results/index.html, and its screenshot index.png.
// `npm run bench -- --quick`: a short smoke run (fewer rounds, the speech model alone for the load
// bench), written to bench-data/quick-results/ so it never mixes with the committed figures.
// `npm run bench -- llm note`: only the benches named. `npm run bench -- --report-only`: no bench
// runs; the page is made from the newest run of each bench already in bench-results/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { renderReport } from './report.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const named = args.filter((a) => !a.startsWith('-'));
// `latency` joins when run-bench.mjs has its page.
const known = ['llm', 'asr', 'note', 'load', 'latency'].filter((name) => name !== 'latency' || /^\s*latency:/m.test(readFileSync('tools/bench/run-bench.mjs', 'utf8')));
const benches = named.length ? named : known;
/** Each bench's arguments for a quick run: the fewest rounds that still print every figure. */
const quickArgs = { llm: ['rounds=2'], asr: ['rounds=1'], note: ['rounds=3'], load: ['profiles=5g', 'parts=asr'], latency: [] };
const dir = args.find((a) => a.startsWith('--dir='))?.slice(6) ?? (quick ? 'bench-data/quick-results' : 'bench-results');
mkdirSync(dir, { recursive: true });

const results = [];
for (const name of args.includes('--report-only') ? [] : benches) {
  const started = Date.now();
  const benchArgs = quick ? (quickArgs[name] ?? []) : [];
  console.log(`\n=== ${name} ${benchArgs.join(' ')}`);
  const { code, tail } = await runBench(['tools/bench/run-bench.mjs', name, ...benchArgs]);
  const seconds = (Date.now() - started) / 1000;
  const record = code === 0 ? lastRun(name, started) : null;
  results.push({ name, ok: code === 0 && !!record, seconds, run: record, error: code === 0 ? (record ? undefined : 'no result written') : `exited with ${code}`, logTail: code === 0 ? undefined : tail });
}

if (args.includes('--report-only')) {
  for (const name of benches) {
    const newest = readdirSync(dir).filter((f) => new RegExp(`^${name}-\\d{4}-\\d\\d-\\d\\d\\.json$`).test(f)).sort().at(-1);
    const run = newest && JSON.parse(readFileSync(`${dir}/${newest}`, 'utf8')).runs?.at(-1);
    results.push(run ? { name, ok: true, seconds: 0, run } : { name, ok: false, seconds: 0, error: `no result in ${dir}/ yet: npm run bench:${name}` });
  }
}

const date = new Date().toISOString().slice(0, 10);
writeFileSync(`${dir}/index.html`, renderReport({ date, quick, benches: results }));
await screenshot(`${dir}/index.html`, `${dir}/index.png`);
console.log(`\nwritten: ${dir}/index.html and index.png`);
for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${Math.round(r.seconds)} s)`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;

/** Runs one bench, passing its output through; keeps the last lines for the report. */
function runBench(argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_RESULTS: dir } });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk).split('\n').slice(-25).join('\n');
    };
    child.stdout.on('data', (chunk) => (process.stdout.write(chunk), keep(chunk)));
    child.stderr.on('data', (chunk) => (process.stderr.write(chunk), keep(chunk)));
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

/** The run this process just made: the last of the day's file, if it finished after `since`. */
function lastRun(name, since) {
  const path = `${dir}/${name}-${new Date().toISOString().slice(0, 10)}.json`;
  if (!existsSync(path)) return null;
  const run = JSON.parse(readFileSync(path, 'utf8')).runs?.at(-1);
  return run && Date.parse(run.finishedAt) >= since ? run : null;
}

async function screenshot(html, png) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1240, height: 800 } });
    await page.setContent(readFileSync(html, 'utf8'));
    await page.screenshot({ path: png, fullPage: true });
  } finally {
    await browser.close();
  }
}

// Benchmarks print numbers; they are not tests. Usage: node tools/bench/run-bench.mjs llm
import { startDevServer } from '@web/dev-server';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import config from '../../web-dev-server.config.mjs';

const which = process.argv[2] ?? 'llm';
const pages = { llm: '/tools/bench/llm-bench.html', asr: '/tools/bench/asr-bench.html', note: '/tools/bench/note-bench.html' };
if (!pages[which]) {
  console.error(`unknown benchmark ${which}; try: ${Object.keys(pages).join(', ')}`);
  process.exit(2);
}

const launchArgs = [];
if (which === 'asr') {
  // Generated here, never committed: a 150 MB random Whisper of tiny's size, and two minutes of dictation.
  mkdirSync('bench-data/models', { recursive: true });
  if (!existsSync('bench-data/models/slm-test/whisper-tiny-size-random/onnx/decoder_model_merged.onnx')) {
    console.log('generating a random-weight Whisper of whisper-tiny size (once)…');
    execFileSync('/usr/bin/python3', ['tools/fixtures/make_fixtures.py', 'bench-data/models/slm-test', '--whisper-tiny-size'], { stdio: 'inherit' });
  }
  if (!existsSync('bench-data/dictation-2min.wav')) {
    const wav = 'test/fixtures/audio/dictation.wav';
    execFileSync('sox', [...Array(8).fill(wav), 'bench-data/dictation-2min.wav']);
  }
  launchArgs.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${process.cwd()}/bench-data/dictation-2min.wav%noloop`);
}

const benchModels = (ctx, next) => {
  const match = /^\/bench-models\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(ctx.path);
  if (match) ctx.url = `/bench-data/models/${match[1]}/${match[2]}/${match[3]}`;
  return next();
};
const server = await startDevServer({
  config: { ...config, port: 0, watch: false, open: false, middleware: [benchModels, ...config.middleware] },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const { port } = server.server.address();
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
  await page.goto(`http://localhost:${port}${pages[which]}`);
  const result = await page.waitForFunction(() => window.benchResult, null, { timeout: 600_000 });
  const value = await result.jsonValue();
  if (value.error) throw new Error(value.error);
} finally {
  await browser.close();
  await server.stop();
}

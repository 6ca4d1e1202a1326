// Benchmarks print numbers; they are not tests. Usage: node tools/bench/run-bench.mjs llm
import { startDevServer } from '@web/dev-server';
import { chromium } from 'playwright-core';
import config from '../../web-dev-server.config.mjs';

const which = process.argv[2] ?? 'llm';
const pages = { llm: '/tools/bench/llm-bench.html' };
if (!pages[which]) {
  console.error(`unknown benchmark ${which}; try: ${Object.keys(pages).join(', ')}`);
  process.exit(2);
}

const server = await startDevServer({ config: { ...config, port: 0, watch: false, open: false }, readCliArgs: false, readFileConfig: false, logStartMessage: false });
const { port } = server.server.address();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  page.on('console', (message) => console.log(message.text()));
  page.on('pageerror', (error) => console.error(error));
  await page.goto(`http://localhost:${port}${pages[which]}`);
  const result = await page.waitForFunction(() => window.benchResult, null, { timeout: 600_000 });
  const value = await result.jsonValue();
  if (value.error) throw new Error(value.error);
} finally {
  await browser.close();
  await server.stop();
}

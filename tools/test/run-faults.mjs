// `npm run test:faults`: every test that files a row of the fault table (recordFault in
// test/support/faults.ts), each browser group in turn, then one table of all rows.
// Exits non-zero when a scenario failed or lost anything.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFaults } from './faults-reporter.mjs';

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.test.ts') && readFileSync(path, 'utf8').includes('recordFault(')) files.push(path);
  }
};
walk('test');

const groupOf = (file) => (file.endsWith('-onset.mic.test.ts') ? 'microphone-onset' : file.endsWith('.mic.test.ts') ? 'microphone' : file.endsWith('.webgpu.test.ts') ? 'webgpu' : 'no-webgpu');
const out = join(mkdtempSync(join(tmpdir(), 'faults-')), 'rows.jsonl');
let failedRun = false;
for (const group of ['no-webgpu', 'webgpu', 'microphone', 'microphone-onset']) {
  const mine = files.filter((file) => groupOf(file) === group);
  if (!mine.length) continue;
  const run = spawnSync('npx', ['wtr', '--config', 'web-test-runner.config.mjs', '--group', group], {
    stdio: 'inherit',
    env: { ...process.env, TEST_FILES: mine.join(','), FAULTS_OUT: out },
  });
  if (run.status !== 0) failedRun = true;
}
let rows = [];
try {
  rows = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
} catch {
  // No rows at all: every group failed before a scenario ran.
}
console.log(`\n${rows.length ? formatFaults(rows) : 'Fault table: no scenario ran.'}\n`);
process.exit(failedRun || !rows.length || rows.some((row) => row.result !== 'pass') ? 1 : 0);

import { appendFileSync } from 'node:fs';

/**
 * The fault table: one row per `recordFault()` (test/support/faults.ts), filed through the
 * `fault-row` test-runner command and printed after the run with the scenario, the error code
 * expected and the one reported, and how many items it lost. A fault test that failed before
 * filing its row is listed as failed too.
 */
const rows = [];

/** The command `recordFault()` files its row with. */
export function faultsPlugin() {
  return {
    name: 'fault-rows',
    executeCommand({ command, payload, session }) {
      if (command !== 'fault-row') return undefined;
      rows.push({ ...payload, file: session.testFile });
      return true;
    },
  };
}

export function faultsReporter() {
  return {
    stop({ sessions }) {
      const table = rows.map((row) => ({ ...row, result: row.code === row.expected && (row.lost === null || row.lost === 0) ? 'pass' : 'FAIL' }));
      const filed = new Set(rows.map((row) => row.file));
      for (const session of sessions) {
        if (!filed.has(session.testFile)) continue;
        const walk = (suite, path) => {
          for (const test of suite?.tests ?? []) {
            if (!test.passed && !test.skipped) table.push({ scenario: `(a test failed) ${[...path, test.name].join(' > ')}`, expected: '', code: '', lost: null, result: 'FAIL', file: session.testFile });
          }
          for (const child of suite?.suites ?? []) walk(child, [...path, child.name]);
        };
        walk(session.testResults, []);
      }
      if (!table.length) return;
      // `npm run test:faults` runs one test runner per browser group and prints one table of all.
      if (process.env.FAULTS_OUT) appendFileSync(process.env.FAULTS_OUT, table.map((row) => `${JSON.stringify(row)}\n`).join(''));
      else process.once('exit', () => process.stdout.write(`\n${formatFaults(table)}\n`));
    },
  };
}

export function formatFaults(table) {
  const head = ['scenario', 'expected', 'reported', 'result', 'data lost'];
  const body = table.map((r) => [r.scenario, r.expected, r.code, r.result, r.lost === null ? 'n/a' : String(r.lost)]);
  const widths = head.map((h, i) => Math.min(90, Math.max(h.length, ...body.map((b) => b[i].length))));
  const line = (cells) => `| ${cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i])).join(' | ')} |`;
  const passed = table.filter((r) => r.result === 'pass').length;
  return [`Fault table: ${table.length} scenarios, ${passed} passed, ${table.length - passed} failed`, line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

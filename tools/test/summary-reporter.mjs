/**
 * Prints one closing line, `N passed, N failed, N skipped`, after the test runner's own
 * output, so the result can be read the same way whatever the runner. The runner's dynamic
 * terminal swallows console output while it runs, so the line is written on exit.
 */
export function summaryReporter() {
  return {
    stop({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      const walk = (suite) => {
        for (const test of suite?.tests ?? []) counts[test.skipped ? 'skipped' : test.passed ? 'passed' : 'failed']++;
        for (const child of suite?.suites ?? []) walk(child);
      };
      for (const session of sessions) {
        walk(session.testResults);
        // A file that failed to load has errors but no test results; count it as a failure.
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length) counts.failed++;
      }
      process.once('exit', () => process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`));
    },
  };
}

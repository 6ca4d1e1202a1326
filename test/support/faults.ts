import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

/** What a fault scenario ended in: the error code the app reported, and what it lost. */
export interface FaultOutcome {
  /** The `SlmError` code (or the OpenAI route's error code) the fault ended in. */
  code: string;
  /**
   * Dictated or stored items missing after the fault (segments, note versions, chat
   * messages, queued requests), counted by the test; null where the fault touches no record.
   */
  lost: number | null;
}

/**
 * Files one row of the fault table (`npm run test:faults`; printed after `npm test`'s browser
 * tests too) and asserts it: the expected code, and nothing lost. Called at the end of a test
 * that provoked the fault and checked that the app still works.
 */
export async function recordFault(scenario: string, expected: string, outcome: FaultOutcome): Promise<void> {
  await executeServerCommand('fault-row', { scenario, expected, ...outcome });
  expect(outcome.code, scenario).to.equal(expected);
  if (outcome.lost !== null) expect(outcome.lost, `${scenario}: items lost`).to.equal(0);
}

import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';

/** The typed error a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<SlmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the promise to reject').to.be.instanceOf(SlmError);
  return error as SlmError;
}

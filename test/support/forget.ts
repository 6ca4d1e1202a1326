import { expect } from '@open-wc/testing';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import { SlmError } from '../../src/errors/slm-error.js';

/** Asks the provider to forget its models while audio is on its way, and checks the typed refusal that keeps the speech model. */
export async function expectForgetRefused(provider: SlmProvider): Promise<void> {
  const refusal = await provider.forgetModels().then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).to.be.instanceOf(SlmError);
  expect((refusal as SlmError).code).to.equal('recording-in-progress');
  expect((refusal as SlmError).message).to.match(/stop the recording first/);
  expect(provider.engine.state('asr').status).to.equal('ready');
}

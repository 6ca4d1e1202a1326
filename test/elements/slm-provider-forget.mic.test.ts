import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { expectForgetRefused } from '../support/forget.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

describe('<slm-provider> forgetModels() during a recording from the microphone', function () {
  this.timeout(180_000);
  let provider: SlmProvider;
  let transcriber: SlmTranscriber;

  beforeEach(async () => {
    provider = await fixture<SlmProvider>(html`<slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-transcriber vad="energy"></slm-transcriber></slm-provider>`);
    transcriber = provider.querySelector('slm-transcriber')!;
    await provider.load(['asr']);
  });
  afterEach(async () => {
    await transcriber.stop();
    await provider.engine.dispose();
  });

  it('is refused with recording-in-progress; the speech model stays and the dictation is transcribed to its end', async () => {
    await transcriber.start();
    expect(transcriber.state).to.equal('recording');

    await expectForgetRefused(provider);
    // Paused is still a recording: its audio is not all transcribed yet.
    transcriber.pause();
    expect(transcriber.state).to.equal('paused');
    expect((await provider.forgetModels().catch((error: SlmError) => error)) as SlmError).to.have.property('code', 'recording-in-progress');
    transcriber.resume();
    await waitUntil(() => provider.session.transcript.segments.some((s) => s.final), 'nothing dictated was transcribed', { timeout: 60_000 });
    await transcriber.stop();
    expect(provider.engine.state('asr').status).to.equal('ready');
    expect(provider.session.transcript.segments.filter((s) => s.final).length).to.be.at.least(1);

    const forgotten = await provider.forgetModels();
    expect(forgotten.freedBytes).to.be.greaterThan(0);
    expect(provider.engine.state('asr').status).to.equal('idle');
  });
});

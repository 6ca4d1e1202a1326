import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { TranscriptChange } from '../../src/audio/transcript-store.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import { recordEvents } from '../support/events.js';
import { modelHostUrl, TEST_MOONSHINE } from '../support/model-host.js';
import { sleep } from '../support/live.js';


describe('<slm-transcriber> dictating to Moonshine through the microphone', () => {
  it('shows partials of each utterance before its final, and the final says more', async () => {
    const utterances = (await (await fetch('/test/fixtures/audio/dictation.json')).json()) as Array<{ start: number; end: number }>;
    const provider = await fixture<SlmProvider>(html`
      <slm-provider asr=${TEST_MOONSHINE} model-host=${await modelHostUrl()}><slm-transcriber></slm-transcriber></slm-provider>
    `);
    await provider.load();
    const transcriber = provider.querySelector('slm-transcriber') as SlmTranscriber;
    const recorder = recordEvents(transcriber, 'slm-transcript', 'slm-error');

    await transcriber.start();
    await sleep((utterances.at(-1)!.end + 1.5) * 1000);
    await transcriber.stop();
    recorder.stop();

    expect(recorder.events.filter((e) => e.type === 'slm-error').map((e) => e.detail.message)).to.deep.equal([]);
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals, 'one final per utterance').to.have.length(utterances.length);
    const changes = recorder.events.filter((e) => e.type === 'slm-transcript').map((e) => (e as CustomEvent<TranscriptChange>).detail.segment);
    for (const final of finals) {
      const partials = changes.filter((s) => s.id === final.id && !s.final);
      const firstFinal = changes.findIndex((s) => s.id === final.id && s.final);
      expect(partials.length, `partials of ${final.id}`).to.be.greaterThan(0);
      expect(changes.indexOf(partials[0])).to.be.lessThan(firstFinal);
      expect(final.text).to.match(/^[a-z][a-z ]*$/);
      // Each utterance lasts 2.7 s or more: the final heard at least a second more than the
      // first partial (0.8 s of speech), and Moonshine's text grows with what it heard.
      expect(final.text.length, `${partials[0].text} → ${final.text}`).to.be.greaterThan(partials[0].text.length);
    }
    await provider.engine.dispose();
  });
});

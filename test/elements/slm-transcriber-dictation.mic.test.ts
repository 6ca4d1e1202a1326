import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { TranscriptChange } from '../../src/audio/transcript-store.js';
import { recordEvents } from '../support/events.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';
import { sleep } from '../support/live.js';

interface Utterance {
  text: string;
  start: number;
  end: number;
}


describe('<slm-transcriber> dictating through the microphone', () => {
  it('finds each utterance at its time, shows partials before finals, and loses no audio', async () => {
    const utterances = (await (await fetch('/test/fixtures/audio/dictation.json')).json()) as Utterance[];
    const provider = await fixture<SlmProvider>(html`
      <slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-transcriber></slm-transcriber></slm-provider>
    `);
    await provider.load();
    const transcriber = provider.querySelector('slm-transcriber') as SlmTranscriber;
    const recorder = recordEvents(transcriber, 'slm-transcript', 'slm-error');

    await transcriber.start();
    expect(transcriber.state).to.equal('recording');
    await sleep((utterances.at(-1)!.end + 1.5) * 1000);
    await transcriber.stop();
    recorder.stop();

    const errors = recorder.events.filter((e) => e.type === 'slm-error');
    expect(errors.map((e) => e.detail.message)).to.deep.equal([]);
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals.map((s) => [s.start.toFixed(2), s.end.toFixed(2)]), 'segments').to.have.length(utterances.length);
    // The fake microphone starts playing when capture opens; the first word fixes the offset.
    const offset = finals[0].start - (utterances[0].start - 0.24);
    expect(Math.abs(offset), 'capture start offset').to.be.lessThan(0.5);
    finals.forEach((segment, i) => {
      // Segments include 240 ms of padding either side, so no word is clipped.
      expect(segment.start - offset, `start of ${i}`).to.be.closeTo(utterances[i].start - 0.24, 0.3);
      expect(segment.end - offset, `end of ${i}`).to.be.closeTo(utterances[i].end + 0.24, 0.3);
      expect(segment.text.length).to.be.greaterThan(0);
    });

    const changes = recorder.events.filter((e) => e.type === 'slm-transcript').map((e) => (e as CustomEvent<TranscriptChange>).detail.segment);
    // Partials come every 0.8 s of speech, but one still being read when its sentence ends is
    // dropped for the final: on a loaded machine the first reading (the slowest) can lose every
    // partial of the first sentence. So: partials before their final for some sentence, and for
    // none a partial after its final (a stale partial must never replace final text).
    const withPartials = finals.filter((final) => {
      const firstPartial = changes.findIndex((s) => s.id === final.id && !s.final);
      const firstFinal = changes.findIndex((s) => s.id === final.id && s.final);
      expect(changes.slice(firstFinal + 1).some((s) => s.id === final.id && !s.final), `a partial of ${final.id} after its final`).to.equal(false);
      return firstPartial > -1 && firstPartial < firstFinal;
    });
    expect(withPartials.length, 'sentences shown as partials before their final').to.be.greaterThan(0);

    const audit = transcriber.lastAudit!;
    expect(audit.produced).to.be.greaterThan(16_000 * utterances.at(-1)!.end);
    expect(audit.received).to.equal(audit.produced);
    await provider.engine.dispose();
  });
});

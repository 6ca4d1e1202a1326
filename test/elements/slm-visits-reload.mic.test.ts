import { expect, fixture, html } from '@open-wc/testing';
import { sleep } from '../support/live.js';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { TranscriptSegment } from '../../src/audio/transcript-store.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';
import { settled, uniqueDbName } from '../support/visits-page.js';

async function dictationPage(dbName: string, host: string) {
  const provider = await fixture<SlmProvider>(html`
    <slm-provider asr=${TEST_ASR} model-host=${host}><slm-visits db-name=${dbName}></slm-visits><slm-transcriber vad="energy"></slm-transcriber></slm-provider>
  `);
  const visits = provider.querySelector('slm-visits')!;
  await visits.updateComplete;
  await visits.ready;
  return { provider, visits, transcriber: provider.querySelector('slm-transcriber')! };
}

describe('<slm-visits> with a live dictation', () => {
  const dbName = uniqueDbName('slm-visits-reload');
  after(() => indexedDB.deleteDatabase(dbName));

  it('brings back the sentence being spoken when the page reloads mid-utterance, marked interrupted until confirmed', async () => {
    const host = await modelHostUrl();
    const first = await dictationPage(dbName, host);
    await first.provider.load();
    // The page "reloads" while a sentence is still open. A loaded machine can read a sentence's
    // final within a poll of its stored partial, so finals are held back (never let through: a
    // reloaded page never hears them): the sentence shown as a partial stays open.
    const engine = first.provider.engine;
    const transcribe = engine.transcribe.bind(engine);
    engine.transcribe = ((audio, options) =>
      options?.priority === 'interactive' ? new Promise(() => undefined) : transcribe(audio, options)) as typeof engine.transcribe;
    await first.transcriber.start();
    // Wait until the open sentence's partial text is stored (about once a second while it is spoken).
    let open: TranscriptSegment | undefined;
    let shownText = '';
    const visitId = first.provider.session.id;
    const deadline = performance.now() + 60_000;
    while (!open) {
      expect(performance.now() < deadline, 'no partial of the open sentence was stored').to.equal(true);
      const stored = await first.visits.visitStore!.get(visitId);
      // The reload must come while that sentence is still open on the page (in the same task as
      // the check): once its final is filed, a reload has nothing to interrupt.
      const live = (id: string) => first.provider.session.transcript.get(id);
      open = stored?.segments.find((s) => !s.final && s.text.trim() && live(s.id)?.final === false);
      if (open) {
        shownText = live(open.id)!.text;
        // The reload: the page goes away while the sentence is still being spoken.
        first.provider.remove();
      } else await sleep(200);
    }
    await first.provider.engine.dispose();

    const second = await dictationPage(dbName, host);
    expect(second.provider.session.id).to.equal(visitId);
    const restored = second.provider.session.transcript.get(open!.id);
    expect(restored, 'the open sentence came back').to.exist;
    expect(restored!.final).to.equal(false);
    // The page stores its newest partial as it goes: what was stored, or what was on screen.
    expect([open.text, shownText]).to.include(restored!.text);
    await second.transcriber.updateComplete;
    const shown = second.transcriber.shadowRoot!.querySelector<HTMLElement>(`[part~="segment"][data-id="${CSS.escape(open!.id)}"]`)!;
    expect(shown.dataset.final).to.equal('false');
    expect(shown.dataset.interrupted, 'marked "interrupted — check"').to.equal('');
    expect(shown.textContent!.trim()).to.equal(restored!.text.trim());
    // Confirmed, it is final, and stored so.
    shown.closest('[part~="interrupted"]')!.querySelector<HTMLButtonElement>('[part~="confirm-button"]')!.click();
    expect(second.provider.session.transcript.get(open.id)).to.deep.include({ final: true, text: restored!.text.trim() });
    await settled(second.visits);
    const stored = await second.visits.visitStore!.get(visitId);
    expect(stored!.segments.find((s) => s.id === open!.id)).to.deep.include({ final: true });
    await second.provider.engine.dispose();
  });
});

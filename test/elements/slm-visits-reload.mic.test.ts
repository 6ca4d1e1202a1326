import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { TranscriptSegment } from '../../src/audio/transcript-store.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';
import { uniqueDbName } from '../support/visits-page.js';

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

  it('brings back the sentence being spoken when the page reloads mid-utterance, marked non-final', async () => {
    const host = await modelHostUrl();
    const first = await dictationPage(dbName, host);
    await first.provider.load();
    await first.transcriber.start();
    // Wait until the open sentence's partial text is stored (about once a second while it is spoken).
    let open: TranscriptSegment | undefined;
    await waitUntil(
      async () => {
        const stored = await first.visits.visitStore!.get(first.provider.session.id);
        open = stored?.segments.find((s) => !s.final && s.text.trim());
        return !!open;
      },
      'no partial of the open sentence was stored',
      { timeout: 30_000, interval: 200 },
    );
    const visitId = first.provider.session.id;
    // The reload: the page goes away while the sentence is still being spoken.
    first.provider.remove();
    await first.provider.engine.dispose();

    const second = await dictationPage(dbName, host);
    expect(second.provider.session.id).to.equal(visitId);
    const restored = second.provider.session.transcript.get(open!.id);
    expect(restored, 'the open sentence came back').to.exist;
    expect(restored!.final).to.equal(false);
    expect(restored!.text).to.equal(open!.text);
    await second.transcriber.updateComplete;
    const shown = second.transcriber.shadowRoot!.querySelector<HTMLElement>(`[part~="segment"][data-id="${CSS.escape(open!.id)}"]`)!;
    expect(shown.dataset.final).to.equal('false');
    expect(shown.textContent!.trim()).to.equal(open!.text.trim());
    await second.provider.engine.dispose();
  });
});

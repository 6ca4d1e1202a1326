import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { VisitStore } from '../../src/visits/visit-store.js';
import { nextEvent } from '../support/events.js';
import { settled, uniqueDbName } from '../support/visits-page.js';
import { recordFault } from '../support/faults.js';

const OLD = 'correct horse battery staple';
const NEW = 'a new passphrase for the clinic';

/** A tab of the app: a provider with its own session, keeping visits in `dbName` under a passphrase. */
async function tab(dbName: string) {
  const provider = await fixture<SlmProvider>(html`<slm-provider><slm-visits db-name=${dbName} require-passphrase></slm-visits></slm-provider>`);
  const visits = provider.querySelector('slm-visits')!;
  await visits.updateComplete;
  await visits.unlock(OLD);
  return { provider, visits, transcript: provider.session.transcript };
}

describe('<slm-visits> passphrase change', () => {
  let dbName: string;
  beforeEach(() => (dbName = uniqueDbName('slm-visits-rekey')));
  afterEach(() => indexedDB.deleteDatabase(dbName));

  it('changes the passphrase from its form; the other tab asks for the new one and then stores what waited', async () => {
    const here = await tab(dbName);
    const there = await tab(dbName);
    here.transcript.upsert({ id: 'a1', text: 'Said here before the change.', start: 0, end: 1, final: true });
    await settled(here.visits);

    const form = here.visits.shadowRoot!.querySelector<HTMLFormElement>('[part="rekey"] form')!;
    Object.entries({ current: OLD, next: NEW, repeat: NEW }).forEach(([name, value]) => (form.elements.namedItem(name) as HTMLInputElement).value = value);
    form.requestSubmit();
    await waitUntil(() => there.visits.shadowRoot!.querySelector('[part="unlock"]'), 'the other tab did not ask for the new passphrase', { timeout: 20_000 });

    // Said in the other tab while it is locked: kept on its page, not written with the old key.
    there.transcript.upsert({ id: 'b1', text: 'Said there while locked.', start: 0, end: 1, final: true });
    await waitUntil(() => there.visits.unsavedChanges > 0 && there.visits.recorder!.failedCount > 0, 'the locked tab did not keep its change', { timeout: 10_000 });
    const refused = nextEvent<CustomEvent<ErrorDetail>>(there.visits, 'slm-error');
    await there.visits.unlock(OLD);
    expect((await refused).detail.code).to.equal('storage-wrong-passphrase');
    await there.visits.unlock(NEW);
    await settled(there.visits);

    expect(there.visits.shadowRoot!.querySelector('[part="unlock"]')).to.equal(null);
    const store = await VisitStore.open({ name: dbName, passphrase: NEW, requestPersistence: false });
    try {
      const texts = (await Promise.all((await store.list()).map((v) => store.get(v.id)))).flatMap((v) => [v!.damaged ?? 0, ...v!.segments.map((s) => s.text)]);
      expect(texts.sort()).to.deep.equal([0, 0, 'Said here before the change.', 'Said there while locked.'].sort());
    } finally {
      store.close();
    }
    here.provider.remove();
    there.provider.remove();
  });

  it('rejects a wrong current passphrase with storage-wrong-passphrase and changes nothing', async () => {
    const here = await tab(dbName);
    const failed = nextEvent<CustomEvent<ErrorDetail>>(here.visits, 'slm-error');

    let code = '';
    await here.visits.rekey('not the passphrase', NEW).catch((error: { code: string }) => (code = error.code));

    expect(code).to.equal('storage-wrong-passphrase');
    expect((await failed).detail.code).to.equal('storage-wrong-passphrase');
    here.provider.remove();
    await recordFault('the passphrase change is given a wrong current passphrase', 'storage-wrong-passphrase', { code, lost: null });
    const store = await VisitStore.open({ name: dbName, passphrase: OLD, requestPersistence: false });
    store.close();
  });
});

import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-note/slm-note.js';
import '../../src/elements/slm-chat/slm-chat.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { nextEvent } from '../support/events.js';
import { settled } from '../support/visits-page.js';

let dbCount = 0;

/** The app as a page builds it: a provider with the visit keeper, a note and a chat (no model needed). */
async function page(dbName: string) {
  const provider = await fixture<SlmProvider>(html`<slm-provider><slm-visits db-name=${dbName}></slm-visits><slm-note refine="off"></slm-note><slm-chat></slm-chat></slm-provider>`);
  const visits = provider.querySelector('slm-visits')!;
  await visits.updateComplete;
  await visits.ready;
  return { provider, visits, note: provider.querySelector('slm-note')!, chat: provider.querySelector('slm-chat')!, transcript: provider.session.transcript };
}

async function rawRecords(dbName: string): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => Object.assign(indexedDB.open(dbName), { onsuccess(this: IDBOpenDBRequest) { resolve(this.result); }, onerror: reject }));
  const dump: unknown[] = [];
  for (const name of db.objectStoreNames) {
    const all = await new Promise<unknown[]>((resolve) => Object.assign(db.transaction(name).objectStore(name).getAll(), { onsuccess(this: IDBRequest) { resolve(this.result); } }));
    dump.push(...all);
  }
  db.close();
  const decoder = new TextDecoder();
  return JSON.stringify(dump, (_, value) => (value instanceof ArrayBuffer ? decoder.decode(value) : ArrayBuffer.isView(value) ? decoder.decode(value as Uint8Array) : value));
}

describe('<slm-visits>', () => {
  let dbName: string;
  beforeEach(() => (dbName = `slm-visits-test-${Date.now()}-${dbCount++}`));
  afterEach(() => indexedDB.deleteDatabase(dbName));

  it('restores the visit exactly after a reload: transcript, note with edits, chat', async () => {
    const first = await page(dbName);
    first.transcript.upsert({ id: 'a', text: 'Wheezing since Tuesday.', start: 0.5, end: 2.5, final: true });
    first.transcript.upsert({ id: 'b', text: 'Saturation ninety four percent.', start: 3, end: 5, final: true });
    first.transcript.edit('b', 'Saturation 94 percent on air.');
    // The sentence being spoken when the page reloads comes back too, as non-final text.
    first.transcript.upsert({ id: 'c', text: 'a partial still being', start: 6, end: 7, final: false });
    first.transcript.upsert({ id: 'c', text: 'a partial still being spoken', start: 6, end: 7.5, final: false });
    await first.note.updateComplete;
    const planItem = first.note.addItem('plan', 'Salbutamol as needed.');
    first.note.editItem(planItem.id, 'Salbutamol 2 puffs as needed.');
    await first.chat.send('Add to plan: review in one week');
    await settled(first.visits);
    const before = {
      segments: first.transcript.segments,
      note: structuredClone(first.note.note),
      chat: structuredClone(first.chat.messages),
    };
    expect(before.chat).to.have.length(2);
    first.provider.remove();

    // The reload: a new engine, new elements, a new store on the same database.
    const second = await page(dbName);
    // The partial comes back marked interrupted: it waits for a person to confirm it.
    expect(second.transcript.segments).to.deep.equal(before.segments.map((s) => (s.final ? s : { ...s, interrupted: true })));
    expect(second.transcript.get('c')).to.deep.include({ text: 'a partial still being spoken', final: false, interrupted: true });
    expect(second.note.note).to.deep.equal(before.note);
    expect(second.chat.messages).to.deep.equal(before.chat);
    expect(second.visits.currentVisitId).to.not.equal(null);

    // And nothing readable is on disk.
    const raw = await rawRecords(dbName);
    for (const secret of ['Wheezing', 'Salbutamol', 'review in one week', 'Saturation']) expect(raw).to.not.include(secret);
  });

  it('lists, opens, deletes and erases visits, and starts new ones', async () => {
    const { visits, transcript, note } = await page(dbName);
    transcript.upsert({ id: 'v1', text: 'First patient, knee pain.', start: 0, end: 2, final: true });
    await settled(visits);
    await visits.newVisit();
    expect(transcript.segments).to.have.length(0);
    transcript.upsert({ id: 'v2', text: 'Second patient, sore throat.', start: 0, end: 2, final: true });
    await settled(visits);
    await visits.updateComplete;
    const rows = visits.shadowRoot!.querySelectorAll('[part~="visit"]');
    expect(rows).to.have.length(2);
    expect(rows[0].getAttribute('aria-current')).to.equal('true');

    // Open the older one.
    rows[1].querySelector<HTMLButtonElement>('[part~="open-button"]')!.click();
    await nextEvent(visits, 'slm-visit-change');
    expect(transcript.segments.map((s) => s.text)).to.deep.equal(['First patient, knee pain.']);
    expect(note.note.sections[0].items.map((i) => i.text)).to.deep.equal(['First patient, knee pain.']);

    const exported = JSON.parse(await visits.exportAll(false));
    expect(exported.visits.map((v: { segments: Array<{ text: string }> }) => v.segments[0].text).sort()).to.deep.equal(['First patient, knee pain.', 'Second patient, sore throat.']);

    await visits.delete(visits.currentVisitId!);
    expect((await visits.visitStore!.list()).length).to.equal(1);
    await visits.eraseAll();
    expect(await visits.visitStore!.list()).to.deep.equal([]);
  });

  it('asks for the passphrase of a protected store and refuses a wrong one', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider><slm-visits db-name=${dbName} require-passphrase></slm-visits></slm-provider>`);
    const visits = provider.querySelector('slm-visits')!;
    await visits.updateComplete;
    expect(visits.shadowRoot!.querySelector('[part="unlock"]')).to.exist;
    await visits.unlock('correct horse battery staple');
    provider.session.transcript.upsert({ id: 'p1', text: 'Protected words.', start: 0, end: 1, final: true });
    await settled(visits);
    provider.remove();

    const again = await fixture<SlmProvider>(html`<slm-provider><slm-visits db-name=${dbName} require-passphrase></slm-visits></slm-provider>`);
    const locked = again.querySelector('slm-visits')!;
    const failed = nextEvent<CustomEvent<ErrorDetail>>(locked, 'slm-error');
    await locked.unlock('wrong');
    expect((await failed).detail.code).to.equal('storage-wrong-passphrase');
    await locked.unlock('correct horse battery staple');
    expect(again.session.transcript.segments.map((s) => s.text)).to.deep.equal(['Protected words.']);
  });
});

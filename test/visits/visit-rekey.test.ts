import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';
import { PBKDF2_ITERATIONS, seal } from '../../src/visits/visit-crypto.js';
import { createVersion1, formatOneRows, rawOpen, rawRecords, recordText, rejectionOf, segment, soapNote, transactionDone, visitDatabases } from './visit-fixtures.js';
import { recordFault } from '../support/faults.js';

const OLD = 'correct horse battery staple';
const NEW = 'tr0ub4dor & 3, but longer';

type PassphraseRow = { kind: 'passphrase'; salt: Uint8Array; iterations: number; format?: number; id?: string };

/** The sealed bytes' IVs of every content record: a record re-sealed gets a new one. */
async function contentIvs(name: string): Promise<string[]> {
  const raw = await rawRecords(name);
  return ['visits', 'segments', 'notes', 'chat'].flatMap((store) => raw[store].map((r) => recordText((r.value as { sealed: { iv: Uint8Array } }).sealed.iv)));
}

describe('passphrase changes and the PBKDF2 upgrade re-seal the store', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  async function filled(name: string, passphrase: string) {
    const store = await databases.open({ name, passphrase });
    const visit = await store.create({ title: 'Mrs Example' });
    await store.putSegment(visit.id, segment('s1', 0, 'Cough for three days.'));
    await store.putSegment(visit.id, segment('s2', 2, 'No fever.'));
    await store.saveNote(visit.id, soapNote('Cough.', 'Fluids.'));
    await store.saveNote(visit.id, soapNote('Cough, no fever.', 'Fluids and rest.'));
    await store.putChat(visit.id, { id: 'c1', role: 'user', content: 'Antibiotics?', createdAt: 1 });
    return { store, visit, before: (await store.get(visit.id))! };
  }

  it('opens a store made with 310,000 iterations in record format 1, and re-seals it at 600,000', async () => {
    const name = databases.name('pbkdf2-310k');
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(OLD), 'PBKDF2', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 310_000 }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const db = await rawOpen(name, 1, createVersion1);
    const rows = {
      meta: { kind: 'passphrase', salt, iterations: 310_000, verifier: await seal(key, ['verifier'], 'slm-visits passphrase verifier') },
      visit: await formatOneRows.visit(key, 'v1', 5_000, { title: 'Stored in 2025', createdAt: 4_000 }),
      segment: await formatOneRows.segment(key, 'v1', segment('s1', 0, 'Old dictation.')),
      notes: [await formatOneRows.note(key, 'v1', { savedAt: 4_100, note: soapNote('First.', 'One.') }), await formatOneRows.note(key, 'v1', { savedAt: 4_200, note: soapNote('Second.', 'Two.') })],
    };
    const tx = db.transaction(['meta', 'visits', 'segments', 'notes'], 'readwrite');
    tx.objectStore('meta').put(rows.meta, 'key');
    tx.objectStore('visits').put(rows.visit);
    tx.objectStore('segments').put(rows.segment);
    for (const note of rows.notes) tx.objectStore('notes').put(note);
    await transactionDone(tx);
    db.close();

    const wrong = await rejectionOf(databases.open({ name, passphrase: NEW }));
    const store = await databases.open({ name, passphrase: OLD });
    const visit = await store.get('v1');
    store.close();
    const meta = (await rawRecords(name)).meta[0].value as PassphraseRow;
    const reopened = await databases.open({ name, passphrase: OLD });

    expect((wrong as SlmError).code).to.equal('storage-wrong-passphrase');
    expect(visit).to.deep.include({ title: 'Stored in 2025', createdAt: 4_000, updatedAt: 5_000, segments: [segment('s1', 0, 'Old dictation.')] });
    expect(visit!.notes.map((n) => n.note)).to.deep.equal([soapNote('First.', 'One.'), soapNote('Second.', 'Two.')]);
    expect(visit!.damaged).to.equal(undefined);
    expect(meta.iterations).to.equal(PBKDF2_ITERATIONS);
    expect(meta.format).to.equal(2);
    expect(recordText(meta.salt)).not.to.equal(recordText(salt));
    expect(await reopened.get('v1')).to.deep.equal(visit);
  });

  it('re-seals every record under the new passphrase; the old one no longer opens the store', async () => {
    const name = databases.name('rekey');
    const { store, visit, before } = await filled(name, OLD);
    const ivsBefore = await contentIvs(name);

    await store.rekey(OLD, NEW);

    expect(await store.get(visit.id)).to.deep.equal(before);
    const ivsAfter = await contentIvs(name);
    expect(ivsAfter).to.have.length(ivsBefore.length);
    expect(ivsAfter.filter((iv) => ivsBefore.includes(iv))).to.deep.equal([]);
    store.close();
    expect(((await rejectionOf(databases.open({ name, passphrase: OLD }))) as SlmError).code).to.equal('storage-wrong-passphrase');
    expect(await (await databases.open({ name, passphrase: NEW })).get(visit.id)).to.deep.equal(before);
  });

  it('refuses a wrong current passphrase, and a store kept with the device key, changing nothing', async () => {
    const name = databases.name('rekey-wrong');
    const { store } = await filled(name, OLD);
    const raw = recordText(await rawRecords(name));
    const device = await databases.open({ name: databases.name('rekey-device') });

    const wrong = await rejectionOf(store.rekey('not it', NEW));
    const empty = await rejectionOf(store.rekey(OLD, ''));
    const deviceKey = await rejectionOf(device.rekey(OLD, NEW));

    expect((wrong as SlmError).code).to.equal('storage-wrong-passphrase');
    expect((empty as SlmError).code).to.equal('invalid-argument');
    expect((deviceKey as SlmError).code).to.equal('invalid-argument');
    expect(recordText(await rawRecords(name))).to.equal(raw);
  });

  describe('when a write fails in the middle of the re-sealing', () => {
    const { put } = IDBObjectStore.prototype;
    afterEach(() => Object.assign(IDBObjectStore.prototype, { put }));

    it('leaves every record as it was, under the old passphrase, and the store usable', async () => {
      const name = databases.name('rekey-crash');
      const { store, visit, before } = await filled(name, OLD);
      const raw = recordText(await rawRecords(name));
      let puts = 0;
      // The fourth record written by the re-sealing transaction fails, as a full disk would.
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (++puts === 4) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };

      const error = await rejectionOf(store.rekey(OLD, NEW));
      Object.assign(IDBObjectStore.prototype, { put });

      expect((error as SlmError).code).to.equal('storage-quota');
      expect(puts).to.be.at.least(4);
      expect(recordText(await rawRecords(name))).to.equal(raw);
      expect(await store.get(visit.id)).to.deep.equal(before);
      await store.putSegment(visit.id, segment('s3', 4, 'Written after the failure.'));
      store.close();
      const reopened = await databases.open({ name, passphrase: OLD });
      expect((await reopened.get(visit.id))!.segments).to.have.length(3);
      expect((await reopened.get(visit.id))!.damaged).to.equal(undefined);
      await recordFault('the disk fills up halfway through a passphrase change', 'storage-quota', { code: (error as SlmError).code, lost: 3 - (await reopened.get(visit.id))!.segments.length });
    });
  });

  it('locks another tab out: it never writes with the old key, and goes on once given the new passphrase', async () => {
    const name = databases.name('rekey-tabs');
    const { store: here, visit } = await filled(name, OLD);
    const there = await databases.open({ name, passphrase: OLD });

    await here.rekey(OLD, NEW);
    const write = await rejectionOf(there.putSegment(visit.id, segment('s3', 4, 'From the other tab.')));
    const read = await rejectionOf(there.get(visit.id));
    const wrong = await rejectionOf(there.unlock(OLD));

    expect((write as SlmError).code).to.equal('storage-wrong-passphrase');
    expect((write as SlmError).message).to.match(/changed in another tab/);
    expect((read as SlmError).code).to.equal('storage-wrong-passphrase');
    expect((wrong as SlmError).code).to.equal('storage-wrong-passphrase');
    expect(there.locked).to.equal(true);

    await there.unlock(NEW);
    await there.putSegment(visit.id, segment('s3', 4, 'From the other tab.'));

    expect(there.locked).to.equal(false);
    const stored = await (await databases.open({ name, passphrase: NEW })).get(visit.id);
    expect(stored!.segments.map((s) => s.id)).to.deep.equal(['s1', 's2', 's3']);
    expect(stored!.damaged).to.equal(undefined);
  });

  it('re-seals or refuses a write another tab makes during the change, never loses it to the old key', async () => {
    const name = databases.name('rekey-race');
    const { store: here, visit } = await filled(name, OLD);
    const there = await databases.open({ name, passphrase: OLD });
    const late = segment('s3', 4, 'Said while the passphrase changed.');

    const [rekeyed, written] = await Promise.allSettled([here.rekey(OLD, NEW), there.putSegment(visit.id, late)]);
    if (written.status === 'rejected') {
      expect((written.reason as SlmError).code).to.equal('storage-wrong-passphrase');
      await there.unlock(NEW);
      await there.putSegment(visit.id, late);
    }

    expect(rekeyed.status).to.equal('fulfilled');
    const stored = await (await databases.open({ name, passphrase: NEW })).get(visit.id);
    expect(stored!.segments.map((s) => s.text)).to.deep.equal(['Cough for three days.', 'No fever.', late.text]);
    expect(stored!.damaged).to.equal(undefined);
  });

  it('follows an erase in another tab with the same passphrase, without locking', async () => {
    const name = databases.name('erase-tabs');
    const { store: here } = await filled(name, OLD);
    const there = await databases.open({ name, passphrase: OLD });

    await here.eraseAll();
    const fresh = await there.create({ title: 'After the erase' });

    expect(there.locked).to.equal(false);
    expect((await here.get(fresh.id))!.title).to.equal('After the erase');
  });
});

import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';
import { RECORD_FORMAT } from '../../src/visits/visit-crypto.js';
import { SCHEMA_VERSION } from '../../src/visits/visit-schema.js';
import { createVersion1, formatOneRows, rawOpen, rawRecords, recordText, rejectionOf, request, segment, soapNote, transactionDone, visitDatabases } from './visit-fixtures.js';
import { recordFault } from '../support/faults.js';

describe('visit database migrations', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  it('opens a version 1 database with its visits intact, adds the updatedAt index and re-seals it in record format 2', async () => {
    const name = databases.name('v1');
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const rows = {
      older: await formatOneRows.visit(key, 'older', 2_000, { title: 'Older visit', createdAt: 1_000 }),
      newer: await formatOneRows.visit(key, 'newer', 9_000, { title: 'Newer visit', createdAt: 8_000 }),
      segments: [await formatOneRows.segment(key, 'older', segment('s2', 5, 'Second.')), await formatOneRows.segment(key, 'older', segment('s1', 1, 'First.'))],
      note: await formatOneRows.note(key, 'older', { savedAt: 1_500, note: soapNote('Old subjective.', 'Old plan.') }),
      chat: await formatOneRows.chat(key, 'older', { id: 'c1', role: 'user', content: 'Old question?', createdAt: 1_600 }),
    };
    const v1 = await rawOpen(name, 1, createVersion1);
    const tx = v1.transaction(['meta', 'visits', 'segments', 'notes', 'chat'], 'readwrite');
    tx.objectStore('meta').put({ kind: 'device', key }, 'key');
    tx.objectStore('visits').put(rows.older);
    tx.objectStore('visits').put(rows.newer);
    for (const row of rows.segments) tx.objectStore('segments').put(row);
    tx.objectStore('notes').put(rows.note);
    tx.objectStore('chat').put(rows.chat);
    await transactionDone(tx);
    v1.close();

    const store = await databases.open({ name });

    expect(await store.list()).to.deep.equal([
      { id: 'newer', title: 'Newer visit', createdAt: 8_000, updatedAt: 9_000, segmentCount: 0 },
      { id: 'older', title: 'Older visit', createdAt: 1_000, updatedAt: 2_000, segmentCount: 2 },
    ]);
    expect(await store.get('older')).to.deep.equal({
      id: 'older',
      title: 'Older visit',
      createdAt: 1_000,
      updatedAt: 2_000,
      segments: [segment('s1', 1, 'First.'), segment('s2', 5, 'Second.')],
      notes: [{ savedAt: 1_500, note: soapNote('Old subjective.', 'Old plan.') }],
      chat: [{ id: 'c1', role: 'user', content: 'Old question?', createdAt: 1_600 }],
    });
    store.close();
    const migrated = await rawOpen(name);
    const index = migrated.transaction('visits').objectStore('visits').index('updatedAt');
    expect(migrated.version).to.equal(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).to.equal(5);
    expect([...migrated.objectStoreNames]).to.include('memory');
    expect(await request(index.getAllKeys())).to.deep.equal(['older', 'newer']);
    migrated.close();
    const raw = await rawRecords(name);
    expect(raw.meta[0].value).to.deep.include({ kind: 'device', format: RECORD_FORMAT });
    expect(raw.notes.map((r) => (r.value as { version: number }).version)).to.deep.equal([1]);
    // No record is left in format 1: the old rows' sealed bytes are all gone.
    const ivs = (rows: { value: unknown }[]) => rows.map((r) => recordText((r.value as { sealed: { iv: Uint8Array } }).sealed.iv));
    const oldIvs = [rows.older, rows.newer, ...rows.segments, rows.note, rows.chat].map((r) => recordText(r.sealed.iv));
    expect([...ivs(raw.visits), ...ivs(raw.segments), ...ivs(raw.notes), ...ivs(raw.chat)].filter((iv) => oldIvs.includes(iv))).to.deep.equal([]);
  });

  it('refuses a database written by a newer version and leaves it untouched', async () => {
    const name = databases.name('newer');
    const future = await rawOpen(name, SCHEMA_VERSION + 1, (db) => {
      createVersion1(db);
      db.createObjectStore('future-things');
    });
    await request(future.transaction('future-things', 'readwrite').objectStore('future-things').put({ text: 'kept as is' }, 1));
    future.close();
    const before = recordText(await rawRecords(name));

    const error = await rejectionOf(databases.open({ name }));

    expect(error).to.be.instanceOf(SlmError);
    expect((error as SlmError).code).to.equal('storage-newer-version');
    expect((error as SlmError).message).to.match(/newer version/);
    const after = await rawOpen(name);
    expect(after.version).to.equal(SCHEMA_VERSION + 1);
    after.close();
    expect(recordText(await rawRecords(name))).to.equal(before);
    await recordFault('the visits were written by a newer version of the app', 'storage-newer-version', { code: (error as SlmError).code, lost: recordText(await rawRecords(name)) === before ? 0 : 1 });
  });
});

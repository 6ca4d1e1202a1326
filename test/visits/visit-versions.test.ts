import { expect } from '@open-wc/testing';
import type { SlmError } from '../../src/errors/slm-error.js';
import { editRawRecord, formatOneRows, rawOpen, rawRecords, request, soapNote, transactionDone, visitDatabases } from './visit-fixtures.js';
import { recordFault } from '../support/faults.js';

type RawNote = { seq: number; visitId: string; version: number; sealed: unknown };

describe('note versions cannot be swapped or rolled back unnoticed', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  const versions = [soapNote('First version.', 'Plan one.'), soapNote('Second version.', 'Plan two.'), soapNote('Third version.', 'Plan three.')];

  async function visitWithThreeVersions(label: string) {
    const name = databases.name(label);
    const errors: SlmError[] = [];
    const store = await databases.open({ name, onError: (error) => errors.push(error) });
    const visit = await store.create({ title: 'Versions' });
    for (const note of versions) await store.saveNote(visit.id, note);
    const notes = async () => (await rawRecords(name)).notes.map((r) => r.value as RawNote).filter((r) => r.visitId === visit.id);
    return { name, store, visit, errors, notes };
  }

  it('numbers the versions 1, 2, 3 and reads them back in order, undamaged', async () => {
    const { store, visit, notes, errors } = await visitWithThreeVersions('numbered');

    const read = await store.get(visit.id);

    expect((await notes()).map((r) => r.version)).to.deep.equal([1, 2, 3]);
    expect(read!.notes.map((v) => v.note)).to.deep.equal(versions);
    expect(read!.damaged).to.equal(undefined);
    expect(errors).to.deep.equal([]);
  });

  it('refuses two versions whose sealed contents were swapped, and shows neither', async () => {
    const { name, store, visit, notes, errors } = await visitWithThreeVersions('swapped');
    const [first, , third] = await notes();

    await editRawRecord(name, 'notes', first.seq, (row) => ({ ...(row as object), sealed: third.sealed }));
    await editRawRecord(name, 'notes', third.seq, (row) => ({ ...(row as object), sealed: first.sealed }));
    const read = await store.get(visit.id);

    expect(read!.notes.map((v) => v.note)).to.deep.equal([versions[1]]);
    expect(read!.damaged).to.equal(2);
    expect(errors.map((e) => e.code)).to.deep.equal(['storage-corrupt', 'storage-corrupt']);
    await recordFault('two stored note versions are swapped', 'storage-corrupt', { code: errors[0]!.code, lost: 1 - read!.notes.length });
  });

  it('reports a rollback when the newest version was removed', async () => {
    const { name, store, visit, notes, errors } = await visitWithThreeVersions('removed');
    const newest = (await notes())[2];

    const db = await rawOpen(name);
    const tx = db.transaction('notes', 'readwrite');
    await request(tx.objectStore('notes').delete(newest.seq));
    await transactionDone(tx);
    db.close();
    const read = await store.get(visit.id);

    expect(read!.notes.map((v) => v.note)).to.deep.equal(versions.slice(0, 2));
    expect(read!.damaged).to.equal(1);
    expect(errors).to.have.length(1);
    expect(errors[0].code).to.equal('storage-corrupt');
    expect(errors[0].message).to.match(/rolled back/);
    await recordFault('the newest note version is deleted behind the app’s back', 'storage-corrupt', { code: errors[0].code, lost: 2 - read!.notes.length });
  });

  it('reports an older version copied, number and all, over the newest one', async () => {
    const { name, store, visit, notes, errors } = await visitWithThreeVersions('rolled-back');
    const [first, , third] = await notes();

    await editRawRecord(name, 'notes', third.seq, (row) => ({ ...(row as object), version: first.version, sealed: first.sealed }));
    const read = await store.get(visit.id);

    expect(read!.notes.map((v) => v.note)).to.deep.equal(versions.slice(0, 2));
    expect(read!.damaged).to.be.greaterThan(0);
    expect(errors.map((e) => e.code)).to.include('storage-corrupt');
    expect(errors.at(-1)!.message).to.match(/rolled back/);
    await recordFault('an older note version is copied over the newest', 'storage-corrupt', { code: errors.at(-1)!.code, lost: 2 - read!.notes.length });
  });

  it('refuses a version moved from another visit, and a format 1 record put back after the upgrade', async () => {
    const { name, store, visit, errors } = await visitWithThreeVersions('moved');
    const other = await store.create({ title: 'Other visit' });
    await store.saveNote(other.id, soapNote('Another patient.', 'Other plan.'));
    const raw = (await rawRecords(name)).notes.map((r) => r.value as RawNote);
    const ours = raw.find((r) => r.visitId === visit.id && r.version === 1)!;
    const theirs = raw.find((r) => r.visitId === other.id)!;

    await editRawRecord(name, 'notes', ours.seq, (row) => ({ ...(row as object), sealed: theirs.sealed }));
    const key = ((await rawRecords(name)).meta[0].value as { key: CryptoKey }).key;
    const legacy = await formatOneRows.note(key, visit.id, { savedAt: 1, note: soapNote('Smuggled in.', 'Old plan.') });
    const db = await rawOpen(name);
    const tx = db.transaction('notes', 'readwrite');
    tx.objectStore('notes').add(legacy);
    await transactionDone(tx);
    db.close();
    const read = await store.get(visit.id);

    expect(read!.notes.map((v) => v.note)).to.deep.equal(versions.slice(1));
    expect(read!.damaged).to.equal(2);
    expect(errors.map((e) => e.code)).to.deep.equal(['storage-corrupt', 'storage-corrupt']);
    await recordFault('a note version from another patient’s visit is moved into this one', 'storage-corrupt', { code: errors[0]!.code, lost: 2 - read!.notes.length });
  });

  it('keeps the count through a rename, so later versions stay in order', async () => {
    const { store, visit, notes } = await visitWithThreeVersions('renamed');

    await store.rename(visit.id, 'Renamed');
    await store.saveNote(visit.id, soapNote('Fourth version.', 'Plan four.'));
    const read = await store.get(visit.id);

    expect(read!.title).to.equal('Renamed');
    expect((await notes()).map((r) => r.version)).to.deep.equal([1, 2, 3, 4]);
    expect(read!.notes).to.have.length(4);
    expect(read!.damaged).to.equal(undefined);
  });
});

import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';
import { editRawRecord, rawRecords, rejectionOf, segment, soapNote, visitDatabases } from './visit-fixtures.js';

describe('VisitStore', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  it('restores a visit byte for byte in a new store, as after a reload', async () => {
    const name = databases.name('restore');
    const store = await databases.open({ name });
    const visit = await store.create({ title: 'Mrs Adeyemi, follow-up' });
    await store.putSegment(visit.id, segment('seg-2', 4.25, 'Blood pressure one forty over ninety.'));
    await store.putSegment(visit.id, segment('seg-1', 0.5, 'She reports morning headaches.', { stableText: 'She reports', final: false }));
    await store.putSegment(visit.id, segment('seg-3', 9.125, 'Start amlodipine five milligrams.'));
    await store.putSegment(visit.id, segment('seg-3', 9.125, 'Start amlodipine 5 mg daily.', { edited: true, stableText: 'Start amlodipine 5 mg daily.' }));
    await store.saveNote(visit.id, soapNote('Morning headaches.', 'Amlodipine.'));
    await store.saveNote(visit.id, soapNote('Morning headaches for two weeks.', 'Amlodipine 5 mg daily.'));
    await store.putChat(visit.id, { id: 'c1', role: 'user', content: 'Any interactions?', createdAt: 1_700_000_000_000 });
    await store.putChat(visit.id, { id: 'c2', role: 'assistant', content: 'None with her current list.', createdAt: 1_700_000_001_000 });
    const original = await store.get(visit.id);

    const reloaded = await databases.open({ name });
    const restored = await reloaded.get(visit.id);

    expect(restored).to.deep.equal(original);
    expect(restored!.segments.map((s) => s.id)).to.deep.equal(['seg-1', 'seg-2', 'seg-3']);
    expect(restored!.segments[2]).to.deep.equal(segment('seg-3', 9.125, 'Start amlodipine 5 mg daily.', { edited: true, stableText: 'Start amlodipine 5 mg daily.' }));
    expect(restored!.notes.map((v) => v.note.sections[1].items[0].text)).to.deep.equal(['Amlodipine.', 'Amlodipine 5 mg daily.']);
    expect(restored!.chat.map((m) => m.content)).to.deep.equal(['Any interactions?', 'None with her current list.']);
    expect(restored).not.to.have.property('damaged');
  });

  it('lists visits most recently updated first, with their segment counts', async () => {
    const store = await databases.open({ name: databases.name('list') });
    const first = await store.create({ title: 'First' });
    const second = await store.create({ title: 'Second' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.putSegment(first.id, segment('a', 0, 'Hello.'));
    await store.putSegment(first.id, segment('b', 1, 'Again.'));

    const list = await store.list();

    expect(list.map((v) => [v.title, v.segmentCount])).to.deep.equal([
      ['First', 2],
      ['Second', 0],
    ]);
    expect(list[0].createdAt).to.equal(first.createdAt);
    expect(list[0].updatedAt).to.be.greaterThan(first.updatedAt);
    expect(list[1]).to.deep.equal({ id: second.id, title: 'Second', createdAt: second.createdAt, updatedAt: second.updatedAt, segmentCount: 0 });
  });

  it('lists gap marks apart from spoken segments, in a new store too', async () => {
    const name = databases.name('list-gaps');
    const store = await databases.open({ name });
    const visit = await store.create({ title: 'With a gap' });
    await store.putSegment(visit.id, segment('a', 0, 'Hello.'));
    await store.putSegment(visit.id, segment('a-gap-1', 1, '', { gap: 4.5 }));
    await store.putSegment(visit.id, segment('b', 2, 'Again.'));
    const [before] = await store.list();
    await store.putSegment(visit.id, segment('stopped', 3, '', { gap: 60, gapCause: 'stopped' }));

    const [after] = await store.list();
    const [reloaded] = await (await databases.open({ name })).list();

    expect([before.segmentCount, before.gapCount]).to.deep.equal([2, 1]);
    expect([after.segmentCount, after.gapCount]).to.deep.equal([2, 2]);
    expect([reloaded.segmentCount, reloaded.gapCount]).to.deep.equal([2, 2]);
  });

  it('renames a visit and keeps its creation time', async () => {
    const store = await databases.open({ name: databases.name('rename') });
    const visit = await store.create({ title: 'Untitled' });

    await store.rename(visit.id, 'Mr Okafor, knee pain');

    const renamed = await store.get(visit.id);
    expect(renamed!.title).to.equal('Mr Okafor, knee pain');
    expect(renamed!.createdAt).to.equal(visit.createdAt);
  });

  it('replaces a segment by id and removes one', async () => {
    const store = await databases.open({ name: databases.name('segments') });
    const visit = await store.create();
    await store.putSegment(visit.id, segment('s1', 0, 'partial', { final: false }));
    await store.putSegment(visit.id, segment('s1', 0, 'partial text, now final'));
    await store.putSegment(visit.id, segment('s2', 3, 'second'));

    await store.removeSegment(visit.id, 's2');
    await store.removeSegment(visit.id, 'never-there');

    expect((await store.get(visit.id))!.segments).to.deep.equal([segment('s1', 0, 'partial text, now final')]);
  });

  it('keeps a new note version only when the note changed', async () => {
    const store = await databases.open({ name: databases.name('notes') });
    const visit = await store.create();
    const note = soapNote('Cough.', 'Rest.');

    await store.saveNote(visit.id, note);
    await store.saveNote(visit.id, structuredClone(note));
    await store.saveNote(visit.id, { sections: note.sections, title: note.title, template: note.template }); // same note, keys in another order
    await store.saveNote(visit.id, soapNote('Cough for three days.', 'Rest.'));

    const { notes } = (await store.get(visit.id))!;
    expect(notes.map((v) => v.note.sections[0].items[0].text)).to.deep.equal(['Cough.', 'Cough for three days.']);
    expect(notes[1].savedAt).to.be.at.least(notes[0].savedAt);
  });

  it('keeps the newest text of a streamed answer re-put per token', async () => {
    const store = await databases.open({ name: databases.name('stream') });
    const visit = await store.create();
    const answer = 'Amlodipine can cause ankle swelling, usually mild.';
    const puts: Promise<void>[] = [];
    for (let i = 1; i <= answer.length; i++) {
      puts.push(store.putChat(visit.id, { id: 'a1', role: 'assistant', content: answer.slice(0, i), createdAt: 5 }));
    }

    await Promise.all(puts);

    expect((await store.get(visit.id))!.chat).to.deep.equal([{ id: 'a1', role: 'assistant', content: answer, createdAt: 5 }]);
  });

  it('round-trips a 100,000-character chat message', async () => {
    const name = databases.name('long-chat');
    const store = await databases.open({ name });
    const visit = await store.create();
    const content = Array.from({ length: 100_000 }, (_, i) => 'abcdefghij klmnopqrstuvwxyzé—😀'[i % 30]).join('');
    expect(content.length).to.equal(100_000);

    await store.putChat(visit.id, { id: 'long', role: 'assistant', content, createdAt: 1 });

    const restored = await (await databases.open({ name })).get(visit.id);
    expect(restored!.chat[0].content).to.equal(content);
  });

  it('deletes one visit with everything it holds and leaves the others', async () => {
    const name = databases.name('delete');
    const store = await databases.open({ name });
    const kept = await store.create({ title: 'Kept' });
    const deleted = await store.create({ title: 'Deleted' });
    for (const visit of [kept, deleted]) {
      await store.putSegment(visit.id, segment('s1', 0, 'text'));
      await store.saveNote(visit.id, soapNote('a', 'b'));
      await store.putChat(visit.id, { id: 'c1', role: 'user', content: 'q', createdAt: 1 });
    }

    await store.delete(deleted.id);

    expect(await store.get(deleted.id)).to.equal(undefined);
    expect((await store.list()).map((v) => v.id)).to.deep.equal([kept.id]);
    const raw = await rawRecords(name);
    for (const storeName of ['segments', 'notes', 'chat']) {
      expect(raw[storeName].map((r) => (r.value as { visitId: string }).visitId)).to.deep.equal([kept.id]);
    }
  });

  it('exports every visit decrypted, for the user’s own backup', async () => {
    const store = await databases.open({ name: databases.name('export') });
    const older = await store.create({ title: 'Older' });
    await store.putSegment(older.id, segment('s1', 0, 'Dictated words.'));
    const newer = await store.create({ title: 'Newer' });

    const backup = await store.exportAll();

    expect(backup.format).to.equal('slm-visits');
    expect(backup.version).to.equal(1);
    expect(Number.isNaN(Date.parse(backup.exportedAt))).to.equal(false);
    expect(backup.visits).to.deep.equal([await store.get(newer.id), await store.get(older.id)]);
    expect(JSON.parse(JSON.stringify(backup)).visits[1].segments[0].text).to.equal('Dictated words.');
  });

  it('erases every record and the key, and keeps working with a new key', async () => {
    const name = databases.name('erase');
    const errors: SlmError[] = [];
    const store = await databases.open({ name, onError: (error) => errors.push(error) });
    const visit = await store.create({ title: 'To erase' });
    await store.putSegment(visit.id, segment('s1', 0, 'text'));
    const sealedBefore = (await rawRecords(name)).visits[0].value;

    await store.eraseAll();

    const raw = await rawRecords(name);
    expect([raw.visits, raw.segments, raw.notes, raw.chat].map((rows) => rows.length)).to.deep.equal([0, 0, 0, 0]);
    expect(raw.meta).to.have.length(1);
    const fresh = await store.create({ title: 'After the erase' });
    expect((await (await databases.open({ name })).list()).map((v) => v.title)).to.deep.equal(['After the erase']);
    // A copy of a row sealed before the erase (say, from a disk image) no longer opens: the old key is gone.
    await editRawRecord(name, 'visits', visit.id, () => sealedBefore);
    expect((await store.get(visit.id))!).to.include({ title: '', damaged: 1 });
    expect(errors.map((e) => e.code)).to.deep.equal(['storage-corrupt']);
    expect(fresh.id).not.to.equal(visit.id);
  });

  it('rejects writes to a visit that does not exist', async () => {
    const store = await databases.open({ name: databases.name('unknown') });

    const error = await rejectionOf(store.putSegment('nope', segment('s1', 0, 'x')));

    expect(error).to.be.instanceOf(SlmError);
    expect((error as SlmError).code).to.equal('invalid-argument');
    expect(await store.list()).to.deep.equal([]);
  });

  it('finishes the writes already asked for on close, then rejects calls with not-loaded', async () => {
    const name = databases.name('close');
    const store = await databases.open({ name });
    const visit = await store.create();
    const pending = store.putSegment(visit.id, segment('s1', 0, 'last words'));

    store.close();

    await pending;
    expect(((await rejectionOf(store.get(visit.id))) as SlmError).code).to.equal('not-loaded');
    expect((await (await databases.open({ name })).get(visit.id))!.segments).to.have.length(1);
  });

  it('asks for persistent storage on open and says what the browser answered', async () => {
    const name = databases.name('persist');
    const asked = await databases.open({ name, requestPersistence: true });
    const notAsked = await databases.open({ name, requestPersistence: false });

    expect(asked.persisted).to.be.a('boolean');
    expect(notAsked.persisted).to.equal(null);
  });
});

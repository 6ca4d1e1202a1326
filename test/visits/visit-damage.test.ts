import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';
import type { Sealed } from '../../src/visits/visit-schema.js';
import { editRawRecord, rawRecords, rejectionOf, segment, soapNote, visitDatabases } from './visit-fixtures.js';
import { recordFault } from '../support/faults.js';

/** Flips one byte of a sealed row's ciphertext, as a bad disk sector or a tamperer would. */
const flipByte = (row: unknown) => {
  const sealed = (row as { sealed: Sealed }).sealed;
  const bytes = new Uint8Array(sealed.data.slice(0));
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  return { ...(row as object), sealed: { ...sealed, data: bytes.buffer } };
};

describe('damaged records and full storage', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  async function twoVisits(name: string, onError?: (error: SlmError) => void) {
    const store = await databases.open({ name, onError });
    const damaged = await store.create({ title: 'Damaged one' });
    const intact = await store.create({ title: 'Intact one' });
    for (const visit of [damaged, intact]) {
      await store.putSegment(visit.id, segment('s1', 0, 'First.'));
      await store.putSegment(visit.id, segment('s2', 2, 'Second.'));
      await store.saveNote(visit.id, soapNote('Subjective.', 'Plan.'));
      await store.putChat(visit.id, { id: 'c1', role: 'user', content: 'Question?', createdAt: 1 });
    }
    return { store, damaged, intact };
  }

  it('reads the rest of a visit whose one segment was tampered with, and reports it', async () => {
    const name = databases.name('tampered');
    const errors: SlmError[] = [];
    const { store, damaged, intact } = await twoVisits(name, (error) => errors.push(error));
    const intactBefore = await store.get(intact.id);

    await editRawRecord(name, 'segments', [damaged.id, 's2'], flipByte);

    const visit = await store.get(damaged.id);
    expect(visit!.damaged).to.equal(1);
    expect(visit!.title).to.equal('Damaged one');
    expect(visit!.segments.map((s) => s.id)).to.deep.equal(['s1']);
    expect(visit!.notes).to.have.length(1);
    expect(visit!.chat).to.have.length(1);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(SlmError);
    expect(errors[0].code).to.equal('storage-corrupt');
    expect(errors[0].message).to.match(/transcript segment/);
    expect(await store.get(intact.id)).to.deep.equal(intactBefore);
    const kept = visit!.segments.length + visit!.notes.length + visit!.chat.length + (await store.get(intact.id))!.segments.length;
    await recordFault('a stored transcript segment is tampered with', 'storage-corrupt', { code: errors[0].code, lost: 5 - kept });
  });

  it('treats a row moved onto another row’s place, or one that is not even sealed, as damaged', async () => {
    const name = databases.name('moved');
    const { store, damaged, intact } = await twoVisits(name);
    const raw = await rawRecords(name);
    const otherChat = raw.chat.find((r) => (r.value as { visitId: string }).visitId === intact.id)!.value as { sealed: Sealed };

    await editRawRecord(name, 'chat', [damaged.id, 'c1'], (row) => ({ ...(row as object), sealed: otherChat.sealed }));
    await editRawRecord(name, 'segments', [damaged.id, 's1'], (row) => ({ ...(row as object), sealed: 'not a sealed value' }));

    const visit = await store.get(damaged.id);
    expect(visit!.damaged).to.equal(2);
    expect(visit!.chat).to.deep.equal([]);
    expect(visit!.segments.map((s) => s.id)).to.deep.equal(['s2']);
  });

  it('keeps listing a visit whose title was damaged, untitled', async () => {
    const name = databases.name('title');
    const errors: SlmError[] = [];
    const { store, damaged } = await twoVisits(name, (error) => errors.push(error));

    await editRawRecord(name, 'visits', damaged.id, flipByte);

    const listed = (await store.list()).find((v) => v.id === damaged.id)!;
    expect(listed.title).to.equal('');
    expect(listed.segmentCount).to.equal(2);
    expect(errors.map((e) => e.code)).to.deep.equal(['storage-corrupt']);
    expect((await store.get(damaged.id))!.segments).to.have.length(2);
  });

  describe('when the device runs out of storage', () => {
    const { put, add } = IDBObjectStore.prototype;
    const restore = () => Object.assign(IDBObjectStore.prototype, { put, add });
    afterEach(restore);

    /** The next `put` or `add` on any object store fails as the browser does when the origin's quota is used up. */
    function failNextWriteWithQuotaExceeded() {
      const fail = () => {
        restore();
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      Object.assign(IDBObjectStore.prototype, { put: fail, add: fail });
    }

    it('rejects the write with storage-quota, loses nothing and stays usable', async () => {
      const name = databases.name('quota');
      const store = await databases.open({ name });
      const visit = await store.create({ title: 'Long visit' });
      await store.putSegment(visit.id, segment('s1', 0, 'Stored before the disk filled up.'));
      const before = await store.get(visit.id);

      failNextWriteWithQuotaExceeded();
      const error = await rejectionOf(store.putSegment(visit.id, segment('s2', 2, 'Does not fit.')));

      expect(error).to.be.instanceOf(SlmError);
      expect((error as SlmError).code).to.equal('storage-quota');
      expect((error as SlmError).message).to.match(/no storage space left/);
      expect((error as SlmError).cause).to.be.instanceOf(DOMException);
      // The whole transaction was dropped: not even the visit's updatedAt moved.
      expect(await store.get(visit.id)).to.deep.equal(before);
      expect(await (await databases.open({ name })).get(visit.id)).to.deep.equal(before);

      await store.putSegment(visit.id, segment('s2', 2, 'Fits after some space was freed.'));
      expect((await store.get(visit.id))!.segments.map((s) => s.id)).to.deep.equal(['s1', 's2']);
      await recordFault('the disk fills up while a segment is written', 'storage-quota', { code: (error as SlmError).code, lost: 2 - (await store.get(visit.id))!.segments.length });
    });

    it('reports storage-quota from every kind of write', async () => {
      const store = await databases.open({ name: databases.name('quota-kinds') });
      const visit = await store.create();
      const writes = [
        () => store.saveNote(visit.id, soapNote('a', 'b')),
        () => store.putChat(visit.id, { id: 'c', role: 'user', content: 'q', createdAt: 1 }),
        () => store.rename(visit.id, 'New title'),
        () => store.create({ title: 'Another' }),
      ];
      for (const write of writes) {
        failNextWriteWithQuotaExceeded();
        expect(((await rejectionOf(write())) as SlmError).code).to.equal('storage-quota');
      }
      expect(await store.list()).to.have.length(1);
      expect((await store.get(visit.id))!).to.deep.include({ title: '', notes: [], chat: [] });
      // Each write again once space is back: nothing the failed calls carried is gone for good.
      for (const write of writes) await write();
      const after = (await store.get(visit.id))!;
      await recordFault('the disk fills up during a note, chat, rename and new-visit write', 'storage-quota', { code: 'storage-quota', lost: 2 - after.notes.length - after.chat.length });
    });
  });
});

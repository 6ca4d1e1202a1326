import { expect } from '@open-wc/testing';
import type { ModelMemory, ModelMemorySave } from '../../src/visits/model-memory.js';
import type { Sealed } from '../../src/visits/visit-schema.js';
import { editRawRecord, rawRecords, rejectionOf, segment, visitDatabases } from './visit-fixtures.js';
import { recordFault } from '../support/faults.js';

/** A memory of `tokens` tokens whose bytes spell out a recognisable pattern. */
function memory(tokens: number, bytes: number, marker = 7): ModelMemory {
  return {
    header: { format: 1, modelId: 'slm-test/llama-tiny-random', tokens },
    ids: Int32Array.from({ length: tokens }, (_, i) => 1000 + i),
    data: new Uint8Array(bytes).fill(marker).buffer,
  };
}

const sameMemory = (a: ModelMemory | undefined, b: ModelMemory) => {
  expect(a, 'memory').to.not.equal(undefined);
  expect(a!.header).to.deep.equal(b.header);
  expect(Array.from(a!.ids)).to.deep.equal(Array.from(b.ids));
  expect(new Uint8Array(a!.data)).to.deep.equal(new Uint8Array(b.data));
};

describe("the model's memory of a visit, kept in the store", () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  it('keeps it sealed with the visit and reads it back whole', async () => {
    const name = databases.name('memory');
    const store = await databases.open({ name });
    const visit = await store.create({ title: 'Cough' });
    const kept = memory(40, 4_096);
    expect(await store.putModelMemory(visit.id, kept)).to.deep.equal({ stored: true, evicted: 0 });
    sameMemory(await store.getModelMemory(visit.id), kept);
    // Reopened (a reload), it is still there.
    sameMemory(await (await databases.open({ name })).getModelMemory(visit.id), kept);

    const [row] = (await rawRecords(name)).memory!;
    const sealed = (row!.value as { sealed: Sealed }).sealed;
    const raw = new Uint8Array(sealed.data);
    // Neither the model id nor the run of marker bytes is readable at rest.
    expect(new TextDecoder().decode(raw)).to.not.contain('llama-tiny-random');
    expect(raw.filter((b) => b === 7).length).to.be.lessThan(200);
  });

  it('replaces the memory of a visit, and refuses one for a visit that does not exist', async () => {
    const store = await databases.open({ name: databases.name('memory-replace') });
    const visit = await store.create();
    await store.putModelMemory(visit.id, memory(10, 100, 1));
    const newer = memory(20, 200, 2);
    await store.putModelMemory(visit.id, newer);
    sameMemory(await store.getModelMemory(visit.id), newer);
    expect(String(await rejectionOf(store.putModelMemory('no-such-visit', newer)))).to.match(/no visit/);
  });

  it('stays within its budget by evicting the least recently used, never the visits', async () => {
    const store = await databases.open({ name: databases.name('memory-budget'), modelMemoryBudgetBytes: 30_000 });
    const [a, b, c] = [await store.create(), await store.create(), await store.create()];
    for (const visit of [a, b, c]) await store.putSegment(visit.id, segment('s1', 0, 'Said.'));
    await store.putModelMemory(a.id, memory(10, 12_000));
    await store.putModelMemory(b.id, memory(10, 12_000));
    // Reading a's memory makes b the least recently used.
    await store.getModelMemory(a.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const saved = await store.putModelMemory(c.id, memory(10, 12_000));
    expect(saved).to.deep.equal({ stored: true, evicted: 1 });
    expect(await store.getModelMemory(b.id)).to.equal(undefined);
    expect(await store.getModelMemory(a.id)).to.not.equal(undefined);
    expect(await store.getModelMemory(c.id)).to.not.equal(undefined);
    // Every visit's own records are still there.
    for (const visit of [a, b, c]) expect((await store.get(visit.id))!.segments).to.have.length(1);

    const tooBig = await store.putModelMemory(a.id, memory(10, 40_000));
    expect(tooBig.stored).to.equal(false);
    expect(tooBig.reason).to.match(/budget/);
  });

  it('goes with its visit: deleted with it, erased with all', async () => {
    const name = databases.name('memory-erase');
    const store = await databases.open({ name });
    const [a, b] = [await store.create(), await store.create()];
    await store.putModelMemory(a.id, memory(10, 100));
    await store.putModelMemory(b.id, memory(10, 100));
    await store.delete(a.id);
    expect(await store.getModelMemory(a.id)).to.equal(undefined);
    expect((await rawRecords(name)).memory).to.have.length(1);
    await store.eraseAll();
    expect((await rawRecords(name)).memory).to.have.length(0);
  });

  it('drops a damaged memory instead of handing it on', async () => {
    const name = databases.name('memory-damaged');
    const store = await databases.open({ name });
    const visit = await store.create();
    await store.putModelMemory(visit.id, memory(10, 1_000));
    await editRawRecord(name, 'memory', visit.id, (row) => {
      const sealed = (row as { sealed: Sealed }).sealed;
      const bytes = new Uint8Array(sealed.data.slice(0));
      bytes[20] ^= 1;
      return { ...(row as object), sealed: { ...sealed, data: bytes.buffer } };
    });
    expect(await store.getModelMemory(visit.id)).to.equal(undefined);
    await store.putSegment(visit.id, segment('s1', 0, 'Still writable.'));
    expect((await rawRecords(name)).memory).to.have.length(0);
  });

  it('gives way when storage is full: the memory is dropped, the visit keeps its room', async () => {
    const store = await databases.open({ name: databases.name('memory-quota') });
    const [a, b] = [await store.create(), await store.create()];
    await store.putModelMemory(a.id, memory(10, 100));
    const { put } = IDBObjectStore.prototype;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'memory') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      const saved = await store.putModelMemory(b.id, memory(10, 100));
      expect(saved.stored).to.equal(false);
      expect(saved.reason).to.match(/storage is full/);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    // Every memory went to make room; the visits' own writes carry on.
    expect(await store.getModelMemory(a.id)).to.equal(undefined);
    await store.putSegment(b.id, segment('s1', 0, 'Written after.'));
    expect((await store.get(b.id))!.segments).to.have.length(1);
  });

  it('files the storage-full fault in the fault table', async () => {
    const store = await databases.open({ name: databases.name('memory-quota-row') });
    const visit = await store.create();
    await store.putSegment(visit.id, segment('s1', 0, 'Said before.'));
    const { put } = IDBObjectStore.prototype;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'memory') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    let saved: ModelMemorySave;
    try {
      saved = await store.putModelMemory(visit.id, memory(10, 100));
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    // Not an error: the memory is a shortcut, dropped so the visit keeps its room.
    await recordFault('storage is full while the model’s memory is saved', 'memory-dropped', { code: saved.stored ? 'stored' : 'memory-dropped', lost: 1 - (await store.get(visit.id))!.segments.length });
  });
});

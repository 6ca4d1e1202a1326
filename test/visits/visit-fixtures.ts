import { deleteDB } from 'idb';
import type { TranscriptSegment } from '../../src/audio/transcript-store.js';
import type { ClinicalNote } from '../../src/note/note-types.js';
import { seal } from '../../src/visits/visit-crypto.js';
import type { ChatRow, NoteRow, SegmentRow, VisitRow } from '../../src/visits/visit-schema.js';
import { VisitStore } from '../../src/visits/visit-store.js';
import type { ChatRecord, NoteVersion } from '../../src/visits/visit-types.js';
import type { VisitStoreOptions } from '../../src/visits/visit-types.js';

/**
 * Opens stores on databases of their own and deletes them after the test, so tests never see
 * each other's visits.
 */
export function visitDatabases() {
  const names: string[] = [];
  const stores: VisitStore[] = [];
  return {
    name(label = 'visits'): string {
      const name = `test-${label}-${crypto.randomUUID()}`;
      names.push(name);
      return name;
    },
    async open(options: VisitStoreOptions & { name: string }): Promise<VisitStore> {
      const store = await VisitStore.open({ requestPersistence: false, ...options });
      stores.push(store);
      return store;
    },
    async cleanUp(): Promise<void> {
      for (const store of stores.splice(0)) store.close();
      // The store closes on `versionchange`, so a store a test left open never blocks the delete.
      for (const name of names.splice(0)) await deleteDB(name);
    },
  };
}

export const segment = (id: string, start: number, text: string, extra: Partial<TranscriptSegment> = {}): TranscriptSegment => ({
  id,
  text,
  start,
  end: start + 2,
  final: true,
  ...extra,
});

export const soapNote = (subjective: string, plan: string): ClinicalNote => ({
  template: 'soap',
  title: 'SOAP note',
  sections: [
    { id: 'subjective', title: 'Subjective', items: [{ id: 's1', text: subjective, sources: ['seg-1'], origin: 'draft', locked: false }] },
    { id: 'plan', title: 'Plan', items: [{ id: 'p1', text: plan, sources: ['seg-2'], origin: 'clinician', locked: true }] },
  ],
});

/** Every record of every object store, read with plain IndexedDB (no idb, no VisitStore). */
export async function rawRecords(name: string): Promise<Record<string, { key: IDBValidKey; value: unknown }[]>> {
  const db = await rawOpen(name);
  try {
    const result: Record<string, { key: IDBValidKey; value: unknown }[]> = {};
    for (const storeName of [...db.objectStoreNames]) {
      const store = db.transaction(storeName).objectStore(storeName);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      result[storeName] = keys.map((key, i) => ({ key, value: values[i] }));
    }
    return result;
  } finally {
    db.close();
  }
}

/** Rewrites one raw record in place, as damage on disk or a tamperer would. */
export async function editRawRecord(name: string, storeName: string, key: IDBValidKey, edit: (value: unknown) => unknown): Promise<void> {
  const db = await rawOpen(name);
  try {
    const tx = db.transaction(storeName, 'readwrite');
    const store = tx.objectStore(storeName);
    const value = await request(store.get(key));
    // Out-of-line keys (the meta store) need the key again; in-line ones must not get it.
    if (store.keyPath === null) store.put(edit(value), key);
    else store.put(edit(value));
    await transactionDone(tx);
  } finally {
    db.close();
  }
}

/**
 * Everything a record holds as text: JSON with every binary value also decoded as UTF-8, so
 * content stored as unencrypted bytes would show up too.
 */
export function recordText(value: unknown): string {
  const utf8 = new TextDecoder('utf-8');
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof ArrayBuffer) return `bytes:${utf8.decode(v)}`;
    if (ArrayBuffer.isView(v)) return `bytes:${utf8.decode(v)}`;
    if (typeof CryptoKey !== 'undefined' && v instanceof CryptoKey) return { cryptoKey: v.algorithm, extractable: v.extractable };
    return v;
  });
}

export function rawOpen(name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name, version);
    open.onupgradeneeded = () => upgrade?.(open.result);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/** Rejection of a promise that should reject, for asserting on the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Rows exactly as record format 1 sealed them (each row's identity as additional data, no version numbers). */
export const formatOneRows = {
  visit: async (key: CryptoKey, id: string, updatedAt: number, header: { title: string; createdAt: number }): Promise<VisitRow> => ({
    id,
    updatedAt,
    sealed: await seal(key, ['visit', id], header),
  }),
  segment: async (key: CryptoKey, visitId: string, value: TranscriptSegment): Promise<SegmentRow> => ({ visitId, id: value.id, sealed: await seal(key, ['segment', visitId, value.id], value) }),
  note: async (key: CryptoKey, visitId: string, version: NoteVersion): Promise<NoteRow> => ({ visitId, sealed: await seal(key, ['note', visitId], version) }),
  chat: async (key: CryptoKey, visitId: string, message: ChatRecord): Promise<ChatRow> => ({ visitId, id: message.id, sealed: await seal(key, ['chat', visitId, message.id], message) }),
};

/** The stores of schema version 1 (no `updatedAt` index yet); versions 2 and 3 changed no store. */
export function createVersion1(db: IDBDatabase) {
  db.createObjectStore('meta');
  db.createObjectStore('visits', { keyPath: 'id' });
  db.createObjectStore('segments', { keyPath: ['visitId', 'id'] }).createIndex('visitId', 'visitId');
  db.createObjectStore('notes', { keyPath: 'seq', autoIncrement: true }).createIndex('visitId', 'visitId');
  db.createObjectStore('chat', { keyPath: ['visitId', 'id'] }).createIndex('visitId', 'visitId');
}

import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

/**
 * Content sealed with AES-GCM: the ciphertext (tag included) and its IV. Everything a
 * person said or wrote lives only in here.
 */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

/** What every key row carries since record format 2; a row without them is format 1. */
interface KeyRowVersion {
  /** New for each key (a passphrase change or an erase makes a new one): a tab holding another id holds a stale key. */
  id?: string;
  /** The record format the content is sealed in (`RECORD_FORMAT`). */
  format?: number;
}

/** The key kept on this device (non-extractable), used when no passphrase was chosen. */
export interface DeviceKeyRow extends KeyRowVersion {
  kind: 'device';
  key: CryptoKey;
}

/**
 * What a passphrase key is derived with, and a sealed known text that only the right
 * passphrase opens: the key itself is never stored.
 */
export interface PassphraseKeyRow extends KeyRowVersion {
  kind: 'passphrase';
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
  verifier: Sealed;
}

export type KeyRow = DeviceKeyRow | PassphraseKeyRow;

/** A visit's header; `updatedAt` stays plain because the list and retention use its index. */
export interface VisitRow {
  id: string;
  updatedAt: number;
  /** `{ title, createdAt }`. */
  sealed: Sealed;
}

export interface SegmentRow {
  visitId: string;
  id: string;
  /**
   * The visit id again, on a gap mark only (a stretch of audio not transcribed): the sparse
   * `gapOf` index counts a visit's marks for the list without opening its segments. It tells
   * which rows are marks, nothing of what was said.
   */
  gapOf?: string;
  sealed: Sealed;
}

/** One saved note version; `seq` (auto-increment) keeps the versions in saving order. */
export interface NoteRow {
  seq?: number;
  visitId: string;
  /** 1, 2, 3… per visit, sealed into the record's additional data; absent in record format 1. */
  version?: number;
  /** `{ savedAt, note }`. */
  sealed: Sealed;
}

export interface ChatRow {
  visitId: string;
  id: string;
  sealed: Sealed;
}

/**
 * The language model's memory of a visit (its prompt cache), one per visit. `usedAt` and
 * `bytes` stay plain: the size budget evicts the least recently used without opening any.
 */
export interface MemoryRow {
  visitId: string;
  usedAt: number;
  bytes: number;
  /** `{ header, ids, data }` packed as bytes (see model-memory.ts). */
  sealed: Sealed;
}

export interface VisitDB extends DBSchema {
  meta: { key: string; value: KeyRow };
  visits: { key: string; value: VisitRow; indexes: { updatedAt: number } };
  segments: { key: [string, string]; value: SegmentRow; indexes: { visitId: string; gapOf: string } };
  notes: { key: number; value: NoteRow; indexes: { visitId: string } };
  chat: { key: [string, string]; value: ChatRow; indexes: { visitId: string } };
  memory: { key: string; value: MemoryRow; indexes: { usedAt: number } };
}

export type VisitStoreName = StoreNames<VisitDB>;
export const CONTENT_STORES = ['visits', 'segments', 'notes', 'chat', 'memory'] as const satisfies readonly VisitStoreName[];
export type ContentStoreName = (typeof CONTENT_STORES)[number];

type UpgradeTransaction = IDBPTransaction<VisitDB, VisitStoreName[], 'versionchange'>;
type Migration = (db: IDBPDatabase<VisitDB>, tx: UpgradeTransaction) => void;

/**
 * One step per schema version, never edited once released: a browser may hold a database
 * of any earlier version, and opening it runs every step after that version in turn.
 */
const MIGRATIONS: Migration[] = [
  // 0 → 1: the stores. Content rows are keyed by their visit so a visit's rows read and delete together.
  (db) => {
    db.createObjectStore('meta');
    db.createObjectStore('visits', { keyPath: 'id' });
    db.createObjectStore('segments', { keyPath: ['visitId', 'id'] }).createIndex('visitId', 'visitId');
    db.createObjectStore('notes', { keyPath: 'seq', autoIncrement: true }).createIndex('visitId', 'visitId');
    db.createObjectStore('chat', { keyPath: ['visitId', 'id'] }).createIndex('visitId', 'visitId');
  },
  // 1 → 2: the list (newest first) and retention read visits by last update instead of scanning all.
  (_db, tx) => {
    tx.objectStore('visits').createIndex('updatedAt', 'updatedAt');
  },
  // 2 → 3: no change to the stores. The records are re-sealed in record format 2 once the key is
  // unlocked (that needs WebCrypto, which an upgrade transaction cannot wait for); the version
  // step keeps code that knows only format 1 from opening, and writing into, a format 2 store.
  () => undefined,
  // 3 → 4: the language model's memory of each visit, evicted least recently used first.
  (db) => {
    db.createObjectStore('memory', { keyPath: 'visitId' }).createIndex('usedAt', 'usedAt');
  },
  // 4 → 5: the list counts gap marks apart from speech. Marks stored before this carry no `gapOf`
  // (telling them apart needs the key) and count as segments until they are next re-sealed (a
  // passphrase change).
  (_db, tx) => {
    tx.objectStore('segments').createIndex('gapOf', 'gapOf');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: IDBPDatabase<VisitDB>, oldVersion: number, newVersion: number | null, tx: UpgradeTransaction): void {
  for (let version = oldVersion; version < (newVersion ?? SCHEMA_VERSION); version++) MIGRATIONS[version](db, tx);
}

import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { SlmError } from '../errors/slm-error.js';
import { keyRowId, type UnlockedKey } from './visit-crypto.js';
import { formatOne, openChat, openNote, openSegment, openVisit, sealChat, sealNote, sealSegment, sealVisit } from './visit-rows.js';
import { CONTENT_STORES, type ChatRow, type KeyRow, type NoteRow, type SegmentRow, type VisitDB, type VisitRow } from './visit-schema.js';
import { commit } from './visit-transactions.js';

/** The key row changed under a store (another tab changed the passphrase, erased, or re-sealed first). */
export class KeyChangedError extends Error {
  constructor() {
    super('The visits’ key changed.');
  }
}

interface Snapshot {
  key: KeyRow | undefined;
  visits: VisitRow[];
  segments: SegmentRow[];
  notes: NoteRow[];
  chat: ChatRow[];
}

const ATTEMPTS = 5;

/**
 * Re-seals every record under `to` and stores `to`'s key row, all in one transaction: a crash
 * or a failed write leaves the store exactly as it was, under `from`. WebCrypto cannot run
 * inside an IndexedDB transaction, so the records are read, re-sealed, and written only if
 * nothing changed in between (another tab writing); otherwise it starts over.
 * Rows that do not open under `from` (damaged) are kept as they are: still damaged, not lost.
 */
export async function resealAll(db: IDBPDatabase<VisitDB>, from: UnlockedKey, to: UnlockedKey): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await snapshot(db.transaction<SnapshotStores>(['meta', ...CONTENT_STORES]));
    if (keyRowId(before.key) !== keyRowId(from.row)) throw new KeyChangedError();
    const resealed = await resealRows(before, from, to);
    const written = await commit(db, ['meta', ...CONTENT_STORES] as SnapshotStores, async (tx) => {
      const now = await snapshot(tx);
      if (keyRowId(now.key) !== keyRowId(from.row)) throw new KeyChangedError();
      if (fingerprint(now) !== fingerprint(before)) return false;
      const pending: Promise<unknown>[] = [];
      try {
        for (const row of resealed.visits) pending.push(tx.objectStore('visits').put(row));
        for (const row of resealed.segments) pending.push(tx.objectStore('segments').put(row));
        for (const row of resealed.notes) pending.push(tx.objectStore('notes').put(row));
        for (const row of resealed.chat) pending.push(tx.objectStore('chat').put(row));
        // The model's memory of the visits is only a shortcut, and large: forgotten, not re-sealed.
        pending.push(tx.objectStore('memory').clear());
        pending.push(tx.objectStore('meta').put(to.row, 'key'));
      } catch (error) {
        // A request refused at once aborts the transaction; those already made then fail as expected.
        pending.forEach((request) => request.catch(() => undefined));
        throw error;
      }
      await Promise.all(pending);
      return true;
    });
    if (written) return;
  }
  throw new SlmError('storage-failed', 'Could not re-seal the visits: another tab kept writing to them. Nothing was changed; try again.');
}

type SnapshotStores = ['meta', ...typeof CONTENT_STORES];

async function snapshot<Mode extends IDBTransactionMode>(tx: IDBPTransaction<VisitDB, SnapshotStores, Mode>): Promise<Snapshot> {
  const [key, visits, segments, notes, chat] = await Promise.all([
    tx.objectStore('meta').get('key'),
    tx.objectStore('visits').getAll(),
    tx.objectStore('segments').getAll(),
    tx.objectStore('notes').getAll(),
    tx.objectStore('chat').getAll(),
  ]);
  return { key, visits, segments, notes, chat };
}

/** Every row's key, plain fields and IV: a fresh IV per seal makes any rewrite show. */
function fingerprint(s: Snapshot): string {
  const iv = (row: { sealed: { iv?: Uint8Array } }) => (row.sealed?.iv ? [...row.sealed.iv].join('.') : String(row.sealed));
  return JSON.stringify([
    s.visits.map((r) => [r.id, r.updatedAt, iv(r)]),
    s.segments.map((r) => [r.visitId, r.id, iv(r)]),
    s.notes.map((r) => [r.seq, r.visitId, r.version, iv(r)]),
    s.chat.map((r) => [r.visitId, r.id, iv(r)]),
  ]);
}

async function resealRows(s: Snapshot, from: UnlockedKey, to: UnlockedKey): Promise<Omit<Snapshot, 'key'>> {
  const k = from.key;
  const legacy = (from.row.format ?? 1) < 2;
  const kept = <R>(row: R) => () => row;
  // Format 1 notes had no numbers: a visit's versions are numbered in saving order, damaged ones left out.
  const notes = await Promise.all(
    s.notes.map(async (row) => {
      const opened = legacy ? await formatOne.note(k, row).then((note) => ({ note, version: 0 }), () => undefined) : await openNote(k, row).catch(() => undefined);
      return { row, opened };
    }),
  );
  const counts = new Map<string, number>();
  const numbered = notes.map(({ row, opened }) => {
    if (!opened) return { row, opened };
    const version = legacy ? (counts.get(row.visitId) ?? 0) + 1 : opened.version;
    counts.set(row.visitId, Math.max(counts.get(row.visitId) ?? 0, version));
    return { row, opened: { ...opened, version } };
  });
  const [visits, segments, resealedNotes, chat] = await Promise.all([
    Promise.all(
      s.visits.map(async (row) => {
        const header = legacy
          ? await formatOne.visit(k, row).then((h) => ({ ...h, notes: counts.get(row.id) ?? 0 }), () => undefined)
          : await openVisit(k, row).catch(() => undefined);
        return header ? sealVisit(to.key, row.id, row.updatedAt, header) : row;
      }),
    ),
    Promise.all(s.segments.map((row) => (legacy ? formatOne.segment(k, row) : openSegment(k, row)).then((segment) => sealSegment(to.key, row.visitId, segment), kept(row)))),
    Promise.all(numbered.map(async ({ row, opened }) => (opened ? { ...(await sealNote(to.key, row.visitId, opened.version, opened.note)), seq: row.seq } : row))),
    Promise.all(s.chat.map((row) => (legacy ? formatOne.chat(k, row) : openChat(k, row)).then((message) => sealChat(to.key, row.visitId, message), kept(row)))),
  ]);
  return { visits, segments, notes: resealedNotes, chat };
}

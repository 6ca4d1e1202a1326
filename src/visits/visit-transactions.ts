import type { IDBPDatabase, IDBPObjectStore, IDBPTransaction } from 'idb';
import { SlmError } from '../errors/slm-error.js';
import type { ContentStoreName, VisitDB, VisitStoreName } from './visit-schema.js';

export type WriteTransaction<Names extends VisitStoreName[]> = IDBPTransaction<VisitDB, Names, 'readwrite'>;

/** One committed transaction; on any failure it is aborted whole, so nothing half-written stays. */
export async function commit<Names extends VisitStoreName[], T>(
  db: IDBPDatabase<VisitDB>,
  names: Names,
  body: (tx: WriteTransaction<Names>) => Promise<T>,
): Promise<T> {
  // Strict: a write resolves only once it is on disk, so a power cut right after loses nothing acknowledged.
  const tx = db.transaction(names, 'readwrite', { durability: 'strict' });
  try {
    const result = await body(tx);
    await tx.done;
    return result;
  } catch (error) {
    throw abandon(tx, error);
  }
}

/** Marks the visit as updated; every content write goes through here, which also checks the visit exists. */
export async function touch(visits: IDBPObjectStore<VisitDB, VisitStoreName[], 'visits', 'readwrite'>, visitId: string): Promise<void> {
  const row = await visits.get(visitId);
  if (!row) throw unknownVisit(visitId);
  await visits.put({ ...row, updatedAt: Math.max(Date.now(), row.updatedAt) });
}

/** Deletes a visit's header and every row that belongs to it. */
export async function deleteVisit(tx: WriteTransaction<ContentStoreName[]>, id: string): Promise<void> {
  await tx.objectStore('visits').delete(id);
  await tx.objectStore('memory').delete(id);
  for (const name of ['segments', 'notes', 'chat'] as const) {
    const store = tx.objectStore(name);
    const keys = await store.index('visitId').getAllKeys(id);
    await Promise.all(keys.map((key) => store.delete(key)));
  }
}

export function unknownVisit(id: string): SlmError {
  return new SlmError('invalid-argument', `There is no visit ${id}.`);
}

/** Aborts a failed transaction and picks the error worth reporting: the transaction's own (e.g. quota) over a request's AbortError. */
function abandon(tx: Pick<IDBTransaction, 'abort' | 'error'> & { done: Promise<void> }, error: unknown): unknown {
  tx.done.catch(() => undefined);
  try {
    tx.abort();
  } catch {
    // Already aborted by the browser; its error says why.
  }
  try {
    return tx.error ?? error;
  } catch {
    return error;
  }
}

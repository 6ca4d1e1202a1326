import { openDB, type IDBPDatabase } from 'idb';
import type { KeySource, UnlockedKey } from './visit-crypto.js';
import { migrate, SCHEMA_VERSION, type VisitDB } from './visit-schema.js';

export interface ConnectionEvents {
  /** The connection was closed under the store: another tab upgrades or deletes the database, or the browser dropped it. */
  onLost(reason: string): void;
}

/** Opens (creating or migrating) the database; a newer schema than this code knows rejects with VersionError. */
export function openVisitDatabase(name: string, events: ConnectionEvents): Promise<IDBPDatabase<VisitDB>> {
  const db: Promise<IDBPDatabase<VisitDB>> = openDB<VisitDB>(name, SCHEMA_VERSION, {
    upgrade: migrate,
    // Holding on would stall a newer version of the app (or an erase) in another tab until this one closes.
    blocking: () => {
      void db.then((open) => open.close());
      events.onLost('The visit store was closed because another tab is upgrading or deleting it; reload to continue.');
    },
    terminated: () => events.onLost('The browser closed the visit store (site data cleared or storage failing); reload to continue.'),
  });
  return db;
}

/** The key of this database: unlocked from its stored row, or created with the row on first open. */
export async function loadKey(db: IDBPDatabase<VisitDB>, keys: KeySource): Promise<UnlockedKey> {
  const row = await db.get('meta', 'key');
  if (row) return { key: await keys.unlock(row), row };
  const fresh = await keys.create();
  try {
    // `add`, not `put`: when two tabs create the database at once, the second adopts the first one's key.
    await db.add('meta', fresh.row, 'key');
    return fresh;
  } catch (error) {
    const winner = error instanceof DOMException && error.name === 'ConstraintError' ? await db.get('meta', 'key') : undefined;
    if (!winner) throw error;
    return { key: await keys.unlock(winner), row: winner };
  }
}

/** Asks the browser to keep the database under storage pressure; `null` where it cannot be asked. */
export async function requestPersistence(): Promise<boolean | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) return null;
  try {
    return await navigator.storage.persist();
  } catch {
    return null;
  }
}

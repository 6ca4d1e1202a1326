import type { IDBPDatabase } from 'idb';
import type { TranscriptSegment } from '../audio/transcript-store.js';
import { SlmError } from '../errors/slm-error.js';
import type { ClinicalNote } from '../note/note-types.js';
import { toStorageError } from './storage-errors.js';
import { MODEL_MEMORY_BUDGET_BYTES, overBudget, packMemory, unpackMemory, type ModelMemory, type ModelMemorySave } from './model-memory.js';
import { KeySource, keyRowId, RECORD_FORMAT, sealBytes, unsealBytes, type UnlockedKey } from './visit-crypto.js';
import { loadKey, openVisitDatabase, requestPersistence } from './visit-database.js';
import { KeyChangedError, resealAll } from './visit-reseal.js';
import { checkVersions, openChat, openNote, openSegment, openVisit, sealChat, sealNote, sealSegment, sealVisit, type VisitHeader } from './visit-rows.js';
import { CONTENT_STORES, type ChatRow, type NoteRow, type SegmentRow, type KeyRow, type VisitDB, type VisitRow, type VisitStoreName } from './visit-schema.js';
import type { ChatRecord, Visit, VisitExport, VisitStoreOptions, VisitSummary } from './visit-types.js';
import { commit, deleteVisit, touch, unknownVisit, type WriteTransaction } from './visit-transactions.js';
import { WriteQueue } from './write-queue.js';

const DEFAULT_NAME = 'slm-visits';
/** The sealing context of a visit's model memory, in the form every other record's has (visit-rows.ts). */
const memoryContext = (visitId: string) => ['slm-visits', RECORD_FORMAT, 'memory', visitId];
const EXPORT_VERSION = 1;
const DAY_MS = 86_400_000;
const LOCKED_OUT =
  'The passphrase of these visits was changed in another tab: enter the new one to go on. Changes not saved yet stay on this page and are saved once it is entered.';

/** The visit's header changed between reading it and writing it back (another tab renamed it): read it again. */
class HeaderChangedError extends Error {}

/**
 * The visits of this browser — transcript, note versions and chat — kept in IndexedDB,
 * encrypted with AES-GCM, written as they happen so a crash or reload loses nothing that
 * a call had resolved.
 *
 * Every write is its own committed transaction, run in the order the calls were made.
 * Reads wait for the writes asked for before them.
 */
export class VisitStore {
  /** What `navigator.storage.persist()` answered on open; `null` when not asked or not available. */
  readonly persisted: boolean | null;
  private key: CryptoKey;
  /** Which key row `key` came from; every write checks the stored one still is it. */
  private keyId: string;
  private closedReason: string | undefined;
  /** Set when another tab changed the passphrase: nothing is read or written until `unlock`. */
  private lockedReason: string | undefined;
  private readonly writes = new WriteQueue();

  private constructor(
    private readonly db: IDBPDatabase<VisitDB>,
    unlocked: UnlockedKey,
    private keys: KeySource,
    private readonly options: VisitStoreOptions,
    persisted: boolean | null,
  ) {
    this.key = unlocked.key;
    this.keyId = keyRowId(unlocked.row);
    this.persisted = persisted;
  }

  /** Another tab changed the passphrase: `unlock` with the new one before anything else. */
  get locked(): boolean {
    return this.lockedReason !== undefined;
  }

  /**
   * Opens (creating or migrating) the store, unlocks its key and applies the retention
   * period. Rejects with `storage-wrong-passphrase` or `storage-newer-version` and leaves
   * the stored visits untouched.
   */
  static async open(options: VisitStoreOptions = {}): Promise<VisitStore> {
    // An older record format or iteration count is re-sealed here, before anything is read.
    const { retentionDays } = options;
    if (retentionDays !== undefined && !(retentionDays > 0)) throw new SlmError('invalid-argument', 'retentionDays must be a positive number of days.');
    const keys = await KeySource.from(options.passphrase);
    let store: VisitStore | undefined;
    // Lost before the store exists, the connection is already closed and the steps below fail with not-loaded.
    const onLost = (reason: string) => store?.lose(reason);
    const db = await openVisitDatabase(options.name ?? DEFAULT_NAME, { onLost }).catch((error: unknown) => {
      throw toStorageError(error, 'open the visits');
    });
    try {
      const unlocked = await unlockCurrent(db, keys);
      const persisted = options.requestPersistence === false ? null : await requestPersistence();
      store = new VisitStore(db, unlocked, keys, options, persisted);
      await store.applyRetention();
      return store;
    } catch (error) {
      db.close();
      throw toStorageError(error, 'open the visits');
    }
  }

  /** A new, empty visit; `id` lets the session choose it (a visit's id is fixed when it opens, not when it is first stored). */
  async create(init: { id?: string; title?: string } = {}): Promise<Visit> {
    const now = Date.now();
    const visit: Visit = { id: init.id ?? crypto.randomUUID(), title: init.title ?? '', createdAt: now, updatedAt: now, segments: [], notes: [], chat: [] };
    await this.write('create the visit', undefined, async () => {
      const row = await sealVisit(this.key, visit.id, now, { title: visit.title, createdAt: now, notes: 0 });
      await this.transact(['visits'], (tx) => tx.objectStore('visits').add(row));
    });
    return visit;
  }

  /** Creates the visit unless it is stored already; resolves to whether it had to. */
  ensure(id: string, init: { title?: string } = {}): Promise<boolean> {
    return this.write('create the visit', undefined, async () => {
      const now = Date.now();
      const row = await sealVisit(this.key, id, now, { title: init.title ?? '', createdAt: now, notes: 0 });
      return this.transact(['visits'], async (tx) => {
        if (await tx.objectStore('visits').getKey(id)) return false;
        await tx.objectStore('visits').add(row);
        return true;
      });
    });
  }

  /** The whole visit, decrypted; records that cannot be read are left out and counted in `damaged`. */
  get(id: string): Promise<Visit | undefined> {
    return this.read('open the visit', async () => {
      const tx = this.db.transaction(['meta', ...CONTENT_STORES]);
      const [keyRow, row, segments, notes, chat] = await Promise.all([
        tx.objectStore('meta').get('key'),
        tx.objectStore('visits').get(id),
        tx.objectStore('segments').index('visitId').getAll(id),
        tx.objectStore('notes').index('visitId').getAll(id),
        tx.objectStore('chat').index('visitId').getAll(id),
      ]);
      this.expectKey(keyRow);
      return row && this.assemble(row, segments, notes, chat);
    });
  }

  /** Every visit, most recently updated first. */
  list(): Promise<VisitSummary[]> {
    return this.read('list the visits', async () => {
      const tx = this.db.transaction(['meta', 'visits', 'segments']);
      const keyRow = tx.objectStore('meta').get('key');
      const rows = (await tx.objectStore('visits').index('updatedAt').getAll()).reverse();
      const counts = await Promise.all(rows.map((row) => tx.objectStore('segments').index('visitId').count(row.id)));
      const gaps = await Promise.all(rows.map((row) => tx.objectStore('segments').index('gapOf').count(row.id)));
      this.expectKey(await keyRow);
      const headers = await Promise.all(rows.map((row) => this.openHeader(row, () => undefined)));
      return rows.map((row, i) => {
        const summary = { id: row.id, title: headers[i].title, createdAt: headers[i].createdAt, updatedAt: row.updatedAt, segmentCount: counts[i] - gaps[i] };
        return gaps[i] ? { ...summary, gapCount: gaps[i] } : summary;
      });
    });
  }

  rename(id: string, title: string): Promise<void> {
    return this.write('rename the visit', undefined, () =>
      this.updateHeader(id, async (row) => {
        const header = await openVisit(this.key, row).catch((cause: unknown) => {
          throw new SlmError('storage-corrupt', 'The visit’s header is damaged, so it cannot be renamed.', { cause });
        });
        const renamed = await sealVisit(this.key, id, Date.now(), { ...header, title });
        return (tx) => tx.objectStore('visits').put(renamed).then(() => undefined);
      }),
    );
  }

  /** Adds or replaces a segment (by id), stored at once. */
  async putSegment(visitId: string, segment: TranscriptSegment): Promise<void> {
    const snapshot = { ...segment };
    return this.write('save the transcript', JSON.stringify(['segment', visitId, segment.id]), async () => {
      const row = await sealSegment(this.key, visitId, snapshot);
      await this.transact(['visits', 'segments'], async (tx) => {
        await touch(tx.objectStore('visits'), visitId);
        await tx.objectStore('segments').put(row);
      });
    });
  }

  removeSegment(visitId: string, segmentId: string): Promise<void> {
    return this.write('remove the segment', undefined, () =>
      this.transact(['visits', 'segments'], async (tx) => {
        if (!(await tx.objectStore('segments').getKey([visitId, segmentId]))) return;
        await touch(tx.objectStore('visits'), visitId);
        await tx.objectStore('segments').delete([visitId, segmentId]);
      }),
    );
  }

  /** Keeps this note as the newest version, unless it equals the newest already kept. */
  async saveNote(visitId: string, note: ClinicalNote): Promise<void> {
    const snapshot = structuredClone(note);
    return this.write('save the note', undefined, () =>
      this.updateHeader(visitId, async (headerRow) => {
        // A damaged header cannot say how many versions there are: the stored rows can, and the note matters more than the title.
        const header = await openVisit(this.key, headerRow).catch(async () => ({ title: '', createdAt: headerRow.updatedAt, notes: await this.highestVersion(visitId) }));
        const latest = await this.db.transaction('notes').store.index('visitId').openCursor(visitId, 'prev');
        const previous = latest && (await openNote(this.key, latest.value).catch(() => undefined));
        if (previous && canonicalJson(previous.note.note) === canonicalJson(snapshot)) return undefined;
        const version = header.notes + 1;
        const now = Date.now();
        const row = await sealNote(this.key, visitId, version, { savedAt: now, note: snapshot });
        const counted = await sealVisit(this.key, visitId, now, { ...header, notes: version });
        return async (tx) => {
          await tx.objectStore('visits').put({ ...counted, updatedAt: Math.max(now, headerRow.updatedAt) });
          await tx.objectStore('notes').add(row);
        };
      }),
    );
  }

  /** Adds or replaces a chat message (by id); a streamed answer is re-put as it grows. */
  async putChat(visitId: string, message: ChatRecord): Promise<void> {
    const snapshot = { ...message };
    return this.write('save the chat', JSON.stringify(['chat', visitId, message.id]), async () => {
      const row = await sealChat(this.key, visitId, snapshot);
      await this.transact(['visits', 'chat'], async (tx) => {
        await touch(tx.objectStore('visits'), visitId);
        await tx.objectStore('chat').put(row);
      });
    });
  }

  /** Deletes every chat message of a visit (the clinician cleared the chat). */
  clearChat(visitId: string): Promise<void> {
    return this.write('clear the chat', undefined, () =>
      this.transact(['visits', 'chat'], async (tx) => {
        const keys = await tx.objectStore('chat').index('visitId').getAllKeys(visitId);
        if (!keys.length) return;
        await touch(tx.objectStore('visits'), visitId);
        for (const key of keys) await tx.objectStore('chat').delete(key);
      }),
    );
  }

  /**
   * Keeps the language model's memory of a visit (its prompt cache), replacing the one before,
   * within the memory budget (least recently used evicted first). It is the most expendable
   * thing stored: when storage is full, every model memory is dropped so the visits' own
   * records keep their room, and this resolves `stored: false` with the reason instead of
   * failing. Sealed with the store's key like every other record.
   */
  putModelMemory(visitId: string, memory: ModelMemory): Promise<ModelMemorySave> {
    const budget = this.options.modelMemoryBudgetBytes ?? MODEL_MEMORY_BUDGET_BYTES;
    const packed = packMemory(memory);
    if (packed.byteLength > budget) return Promise.resolve({ stored: false, reason: `it is larger (${packed.byteLength} bytes) than the budget of ${budget}`, evicted: 0 });
    return this.write('keep the model’s memory of the visit', JSON.stringify(['memory', visitId]), async () => {
      const sealed = await sealBytes(this.key, memoryContext(visitId), packed);
      try {
        return await this.transact(['visits', 'memory'], async (tx) => {
          if (!(await tx.objectStore('visits').get(visitId))) throw unknownVisit(visitId);
          const others = (await tx.objectStore('memory').getAll()).filter((row) => row.visitId !== visitId);
          const evict = overBudget(others, packed.byteLength, budget);
          for (const id of evict) await tx.objectStore('memory').delete(id);
          await tx.objectStore('memory').put({ visitId, usedAt: Date.now(), bytes: packed.byteLength, sealed });
          return { stored: true, evicted: evict.length };
        });
      } catch (error) {
        if (!(error instanceof DOMException && error.name === 'QuotaExceededError')) throw error;
        await this.transact(['memory'], (tx) => tx.objectStore('memory').clear()).catch(() => undefined);
        return { stored: false, reason: 'storage is full, and the visits’ own records come first', evicted: 0 };
      }
    });
  }

  /**
   * The language model's memory of a visit, or undefined when none is kept or it cannot be
   * opened (then it is deleted: a memory is only ever a shortcut).
   */
  getModelMemory(visitId: string): Promise<ModelMemory | undefined> {
    return this.read('read the model’s memory of the visit', async () => {
      const row = await this.db.get('memory', visitId);
      if (!row) return undefined;
      try {
        const memory = unpackMemory(await unsealBytes(this.key, memoryContext(visitId), row.sealed));
        void this.write('keep the model’s memory of the visit', JSON.stringify(['memory', visitId]), () =>
          this.transact(['memory'], async (tx) => {
            const current = await tx.objectStore('memory').get(visitId);
            if (current) await tx.objectStore('memory').put({ ...current, usedAt: Date.now() });
          }),
        ).catch(() => undefined);
        return memory;
      } catch {
        void this.deleteModelMemory(visitId).catch(() => undefined);
        return undefined;
      }
    });
  }

  /** Forgets the language model's memory of a visit (the visit itself stays). */
  deleteModelMemory(visitId: string): Promise<void> {
    return this.write('forget the model’s memory of the visit', JSON.stringify(['memory', visitId]), () =>
      this.transact(['memory'], async (tx) => {
        await tx.objectStore('memory').delete(visitId);
      }),
    );
  }

  delete(id: string): Promise<void> {
    return this.write('delete the visit', undefined, () => this.transact([...CONTENT_STORES], (tx) => deleteVisit(tx, id)));
  }

  /** Every visit decrypted, most recently updated first: the user's own backup. */
  exportAll(): Promise<VisitExport> {
    return this.read('export the visits', async () => {
      const ids = (await this.db.getAllKeysFromIndex('visits', 'updatedAt')).reverse();
      const visits = (await Promise.all(ids.map((id) => this.get(id)))).filter((visit) => visit !== undefined);
      return { format: 'slm-visits', version: EXPORT_VERSION, exportedAt: new Date().toISOString(), visits };
    });
  }

  /** Deletes every visit and the key; later writes use a new key, so nothing erased can be read again. */
  eraseAll(): Promise<void> {
    return this.write('erase the visits', undefined, async () => {
      const fresh = await this.keys.create();
      await this.transact(['meta', ...CONTENT_STORES], async (tx) => {
        await Promise.all(CONTENT_STORES.map((name) => tx.objectStore(name).clear()));
        await tx.objectStore('meta').put(fresh.row, 'key');
      });
      this.useKey(fresh);
    });
  }

  /**
   * Changes the passphrase: every record is re-sealed under a key derived from the new one
   * (new salt, today's iteration count) in one transaction, so a crash or a failed write
   * leaves the store as it was, under the old passphrase. Rejects with
   * `storage-wrong-passphrase` when `oldPassphrase` is not the current one. Other tabs
   * holding the old key can no longer read or write (they are `locked` until `unlock`).
   */
  rekey(oldPassphrase: string, newPassphrase: string): Promise<void> {
    return this.write('change the passphrase', undefined, async () => {
      const row = await this.db.get('meta', 'key');
      if (!row) throw new SlmError('storage-failed', 'The visits have no key: reopen them.');
      if (row.kind === 'device') {
        throw new SlmError('invalid-argument', 'These visits are kept with this device’s key, not a passphrase, so there is no passphrase to change.');
      }
      const current = await (await KeySource.from(oldPassphrase)).unlock(row);
      const next = await KeySource.from(newPassphrase);
      const fresh = await next.create();
      await resealAll(this.db, { key: current, row }, fresh);
      this.keys = next;
      this.useKey(fresh);
    });
  }

  /**
   * After another tab changed the passphrase: opens the store with the new one. Rejects with
   * `storage-wrong-passphrase` (and stays locked) when it is not.
   */
  async unlock(passphrase: string): Promise<void> {
    if (this.closedReason) throw new SlmError('not-loaded', this.closedReason);
    const keys = await KeySource.from(passphrase);
    const row = await this.db.get('meta', 'key');
    if (!row) throw new SlmError('storage-failed', 'The visits have no key: reopen them.');
    const key = await keys.unlock(row);
    this.keys = keys;
    this.useKey({ key, row });
  }

  /**
   * Follows a key change made in another tab (an erase, a passphrase change): takes the new
   * key where this store's passphrase opens it, else becomes `locked`. Resolves to whether
   * the store can go on.
   */
  async followKey(): Promise<boolean> {
    const row = await this.db.get('meta', 'key');
    if (keyRowId(row) === this.keyId) return !this.locked;
    try {
      if (!row) throw new SlmError('storage-failed', 'The visits have no key.');
      this.useKey({ key: await this.keys.unlock(row), row });
      return true;
    } catch {
      this.lockedReason = LOCKED_OUT;
      return false;
    }
  }

  /** Deletes the visits not updated within `retentionDays` of `now`; resolves to how many. */
  applyRetention(now = Date.now()): Promise<number> {
    const days = this.options.retentionDays;
    if (days === undefined) return Promise.resolve(0);
    return this.write('apply the retention period', undefined, () =>
      this.transact([...CONTENT_STORES], async (tx) => {
        const expired = await tx.objectStore('visits').index('updatedAt').getAllKeys(IDBKeyRange.upperBound(now - days * DAY_MS, true));
        for (const id of expired) await deleteVisit(tx, id);
        return expired.length;
      }),
    );
  }

  /** Closes the database once the writes already asked for are stored; later calls reject with `not-loaded`. */
  close(): void {
    if (this.closedReason) return;
    this.closedReason = 'The visit store is closed.';
    void this.writes.idle().then(() => this.db.close());
  }

  private lose(reason: string): void {
    this.closedReason ??= reason;
    this.db.close();
  }

  private async write<T>(doing: string, rowKey: string | undefined, work: () => Promise<T>): Promise<T> {
    this.checkOpen();
    return this.writes.run(rowKey, () => this.withCurrentKey(doing, work));
  }

  private async read<T>(doing: string, work: () => Promise<T>): Promise<T> {
    this.checkOpen();
    await this.writes.idle();
    return this.withCurrentKey(doing, work);
  }

  /** Runs `work`; when the key changed under it (another tab), follows the change and runs it once more with the new key. */
  private async withCurrentKey<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      // Closing lets the writes already asked for finish; a lock-out stops them.
      this.checkUnlocked();
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof KeyChangedError)) throw error;
        await this.followKey();
        this.checkUnlocked();
        return await work();
      }
    } catch (error) {
      throw error instanceof KeyChangedError ? new SlmError('storage-wrong-passphrase', LOCKED_OUT) : toStorageError(error, doing);
    }
  }

  private checkOpen(): void {
    if (this.closedReason) throw new SlmError('not-loaded', this.closedReason);
    this.checkUnlocked();
  }

  private checkUnlocked(): void {
    if (this.lockedReason) throw new SlmError('storage-wrong-passphrase', this.lockedReason);
  }

  private useKey(unlocked: UnlockedKey): void {
    this.key = unlocked.key;
    this.keyId = keyRowId(unlocked.row);
    this.lockedReason = undefined;
  }

  private expectKey(row: KeyRow | undefined): void {
    if (keyRowId(row) !== this.keyId) throw new KeyChangedError();
  }

  /**
   * One committed transaction that first checks the stored key is still this store's: a tab
   * whose key was replaced (a passphrase change, an erase) never writes with it.
   */
  private transact<Names extends VisitStoreName[], T>(names: Names, body: (tx: WriteTransaction<Names>) => Promise<T>): Promise<T> {
    const withMeta = (names.includes('meta') ? names : [...names, 'meta']) as Names;
    return commit(this.db, withMeta, async (tx) => {
      this.expectKey(await (tx as unknown as WriteTransaction<['meta']>).objectStore('meta').get('key'));
      return body(tx);
    });
  }

  /**
   * Rewrites a visit's header with what `prepare` seals from the stored one, unless another
   * tab changed the header meanwhile; then it reads it again (a rename must not undo a note count, nor the reverse).
   */
  private async updateHeader(visitId: string, prepare: (row: VisitRow) => Promise<((tx: WriteTransaction<['visits', 'notes']>) => Promise<void>) | undefined>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const row = await this.db.get('visits', visitId);
      if (!row) throw unknownVisit(visitId);
      const apply = await prepare(row);
      if (!apply) return;
      try {
        await this.transact(['visits', 'notes'], async (tx) => {
          const current = await tx.objectStore('visits').get(visitId);
          if (!current) throw unknownVisit(visitId);
          if (!sameSealed(current, row)) throw new HeaderChangedError();
          await apply(tx);
        });
        return;
      } catch (error) {
        if (!(error instanceof HeaderChangedError) || attempt >= 4) throw error;
      }
    }
  }

  /** The highest note version number stored for a visit (0 for none). */
  private async highestVersion(visitId: string): Promise<number> {
    const rows = await this.db.getAllFromIndex('notes', 'visitId', visitId);
    return rows.reduce((highest, row) => Math.max(highest, row.version ?? 0), 0);
  }

  private async assemble(row: VisitRow, segmentRows: SegmentRow[], noteRows: NoteRow[], chatRows: ChatRow[]): Promise<Visit> {
    let damaged = 0;
    const report = (what: string) => (cause: unknown) => {
      damaged++;
      this.reportDamage(row.id, what, cause);
      return undefined;
    };
    let headerDamaged = false;
    const [header, segments, notes, chat] = await Promise.all([
      this.openHeader(row, () => {
        damaged++;
        headerDamaged = true;
      }),
      Promise.all(segmentRows.map((r) => openSegment(this.key, r).catch(report('transcript segment')))),
      Promise.all(noteRows.map((r) => openNote(this.key, r).catch(report('note version')))),
      Promise.all(chatRows.map((r) => openChat(this.key, r).catch(report('chat message')))),
    ]);
    const opened = present(notes);
    const versions = checkVersions(headerDamaged ? undefined : header.notes, opened, notes.length - opened.length);
    if (versions.missing || versions.extra) {
      damaged += versions.missing + versions.extra;
      const what = versions.missing ? `${versions.missing} of its newest note versions are missing` : 'a note version was copied in from elsewhere';
      const message = `Visit ${row.id} was rolled back or altered: ${what}. The note shown may not be the latest one saved; it is kept as found.`;
      this.options.onError?.(new SlmError('storage-corrupt', message));
    }
    return {
      id: row.id,
      title: header.title,
      createdAt: header.createdAt,
      updatedAt: row.updatedAt,
      segments: present(segments).sort((a, b) => a.start - b.start),
      notes: versions.notes,
      chat: present(chat).sort((a, b) => a.createdAt - b.createdAt),
      ...(damaged ? { damaged } : {}),
    };
  }

  /** The title and creation time; a damaged header still lists the visit, untitled. */
  private async openHeader(row: VisitRow, onDamage: () => void): Promise<VisitHeader> {
    try {
      return await openVisit(this.key, row);
    } catch (cause) {
      onDamage();
      this.reportDamage(row.id, 'title', cause);
      return { title: '', createdAt: row.updatedAt, notes: 0 };
    }
  }

  private reportDamage(visitId: string, what: string, cause: unknown): void {
    const message = `A ${what} of visit ${visitId} could not be read back: it is damaged or was altered. The rest of the visit is unaffected.`;
    this.options.onError?.(new SlmError('storage-corrupt', message, { cause }));
  }
}

/**
 * The key of the store as it can be used now: unlocked, and re-sealed first when it was
 * sealed in an older format or derived with fewer iterations. When another tab re-seals or
 * changes the key at the same moment, it starts over with what that tab stored.
 */
async function unlockCurrent(db: IDBPDatabase<VisitDB>, keys: KeySource): Promise<UnlockedKey> {
  for (let attempt = 0; ; attempt++) {
    const unlocked = await loadKey(db, keys);
    const target = await keys.upgrade(unlocked);
    if (!target) return unlocked;
    try {
      await resealAll(db, unlocked, target);
      return target;
    } catch (error) {
      if (!(error instanceof KeyChangedError) || attempt >= 2) throw error;
    }
  }
}

function sameSealed(a: VisitRow, b: VisitRow): boolean {
  // The IV is new for every seal; a row that is not even sealed compares by what it holds.
  const identity = (row: VisitRow) => (row.sealed?.iv instanceof Uint8Array ? row.sealed.iv.join('.') : JSON.stringify(row.sealed));
  return identity(a) === identity(b);
}

function present<T>(values: (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}

/** JSON with object keys sorted, so two equal notes compare equal whatever order their keys were set in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

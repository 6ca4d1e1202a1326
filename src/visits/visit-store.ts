import type { IDBPDatabase } from 'idb';
import type { TranscriptSegment } from '../audio/transcript-store.js';
import { SlmError } from '../errors/slm-error.js';
import type { ClinicalNote } from '../note/note-types.js';
import { toStorageError } from './storage-errors.js';
import { MODEL_MEMORY_BUDGET_BYTES, overBudget, packMemory, unpackMemory, type ModelMemory, type ModelMemorySave } from './model-memory.js';
import { KeySource, sealBytes, unsealBytes } from './visit-crypto.js';
import { loadKey, openVisitDatabase, requestPersistence } from './visit-database.js';
import { openChat, openNote, openSegment, openVisit, sealChat, sealNote, sealSegment, sealVisit, type VisitHeader } from './visit-rows.js';
import { CONTENT_STORES, type ChatRow, type NoteRow, type SegmentRow, type VisitDB, type VisitRow, type VisitStoreName } from './visit-schema.js';
import type { ChatRecord, Visit, VisitExport, VisitStoreOptions, VisitSummary } from './visit-types.js';
import { commit, deleteVisit, touch, unknownVisit, type WriteTransaction } from './visit-transactions.js';
import { WriteQueue } from './write-queue.js';

const DEFAULT_NAME = 'slm-visits';
const EXPORT_VERSION = 1;
const DAY_MS = 86_400_000;

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
  private closedReason: string | undefined;
  private readonly writes = new WriteQueue();

  private constructor(
    private readonly db: IDBPDatabase<VisitDB>,
    key: CryptoKey,
    private readonly keys: KeySource,
    private readonly options: VisitStoreOptions,
    persisted: boolean | null,
  ) {
    this.key = key;
    this.persisted = persisted;
  }

  /**
   * Opens (creating or migrating) the store, unlocks its key and applies the retention
   * period. Rejects with `storage-wrong-passphrase` or `storage-newer-version` and leaves
   * the stored visits untouched.
   */
  static async open(options: VisitStoreOptions = {}): Promise<VisitStore> {
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
      const key = await loadKey(db, keys);
      const persisted = options.requestPersistence === false ? null : await requestPersistence();
      store = new VisitStore(db, key, keys, options, persisted);
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
      const row = await sealVisit(this.key, visit.id, now, { title: visit.title, createdAt: now });
      await this.transact(['visits'], (tx) => tx.objectStore('visits').add(row));
    });
    return visit;
  }

  /** Creates the visit unless it is stored already; resolves to whether it had to. */
  ensure(id: string, init: { title?: string } = {}): Promise<boolean> {
    return this.write('create the visit', undefined, async () => {
      const now = Date.now();
      const row = await sealVisit(this.key, id, now, { title: init.title ?? '', createdAt: now });
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
      const tx = this.db.transaction(CONTENT_STORES);
      const [row, segments, notes, chat] = await Promise.all([
        tx.objectStore('visits').get(id),
        tx.objectStore('segments').index('visitId').getAll(id),
        tx.objectStore('notes').index('visitId').getAll(id),
        tx.objectStore('chat').index('visitId').getAll(id),
      ]);
      return row && this.assemble(row, segments, notes, chat);
    });
  }

  /** Every visit, most recently updated first. */
  list(): Promise<VisitSummary[]> {
    return this.read('list the visits', async () => {
      const tx = this.db.transaction(['visits', 'segments']);
      const rows = (await tx.objectStore('visits').index('updatedAt').getAll()).reverse();
      const counts = await Promise.all(rows.map((row) => tx.objectStore('segments').index('visitId').count(row.id)));
      const headers = await Promise.all(rows.map((row) => this.openHeader(row, () => undefined)));
      return rows.map((row, i) => ({ id: row.id, ...headers[i], updatedAt: row.updatedAt, segmentCount: counts[i] }));
    });
  }

  rename(id: string, title: string): Promise<void> {
    return this.write('rename the visit', undefined, async () => {
      const row = await this.db.get('visits', id);
      if (!row) throw unknownVisit(id);
      const { createdAt } = await openVisit(this.key, row).catch((cause: unknown) => {
        throw new SlmError('storage-corrupt', 'The visit’s header is damaged, so it cannot be renamed.', { cause });
      });
      const renamed = await sealVisit(this.key, id, Date.now(), { title, createdAt });
      await this.transact(['visits'], (tx) => tx.objectStore('visits').put(renamed));
    });
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
    return this.write('save the note', undefined, async () => {
      const latest = await this.db.transaction('notes').store.index('visitId').openCursor(visitId, 'prev');
      const previous = latest && (await openNote(this.key, latest.value).catch(() => undefined));
      if (previous && canonicalJson(previous.note) === canonicalJson(snapshot)) return;
      const row = await sealNote(this.key, visitId, { savedAt: Date.now(), note: snapshot });
      await this.transact(['visits', 'notes'], async (tx) => {
        await touch(tx.objectStore('visits'), visitId);
        await tx.objectStore('notes').add(row);
      });
    });
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
      const sealed = await sealBytes(this.key, ['memory', visitId], packed);
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
        const memory = unpackMemory(await unsealBytes(this.key, ['memory', visitId], row.sealed));
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
      this.key = fresh.key;
    });
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
    if (this.closedReason) throw new SlmError('not-loaded', this.closedReason);
    return this.writes.run(rowKey, async () => {
      try {
        return await work();
      } catch (error) {
        throw toStorageError(error, doing);
      }
    });
  }

  private async read<T>(doing: string, work: () => Promise<T>): Promise<T> {
    if (this.closedReason) throw new SlmError('not-loaded', this.closedReason);
    await this.writes.idle();
    try {
      return await work();
    } catch (error) {
      throw toStorageError(error, doing);
    }
  }

  private transact<Names extends VisitStoreName[], T>(names: Names, body: (tx: WriteTransaction<Names>) => Promise<T>): Promise<T> {
    return commit(this.db, names, body);
  }

  private async assemble(row: VisitRow, segmentRows: SegmentRow[], noteRows: NoteRow[], chatRows: ChatRow[]): Promise<Visit> {
    let damaged = 0;
    const report = (what: string) => (cause: unknown) => {
      damaged++;
      this.reportDamage(row.id, what, cause);
      return undefined;
    };
    const [header, segments, notes, chat] = await Promise.all([
      this.openHeader(row, () => damaged++),
      Promise.all(segmentRows.map((r) => openSegment(this.key, r).catch(report('transcript segment')))),
      Promise.all(noteRows.map((r) => openNote(this.key, r).catch(report('note version')))),
      Promise.all(chatRows.map((r) => openChat(this.key, r).catch(report('chat message')))),
    ]);
    return {
      id: row.id,
      ...header,
      updatedAt: row.updatedAt,
      segments: present(segments).sort((a, b) => a.start - b.start),
      notes: present(notes),
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
      return { title: '', createdAt: row.updatedAt };
    }
  }

  private reportDamage(visitId: string, what: string, cause: unknown): void {
    const message = `A ${what} of visit ${visitId} could not be read back: it is damaged or was altered. The rest of the visit is unaffected.`;
    this.options.onError?.(new SlmError('storage-corrupt', message, { cause }));
  }
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

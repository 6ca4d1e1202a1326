import type { TranscriptSegment } from '../audio/transcript-store.js';
import type { SlmError } from '../errors/slm-error.js';
import type { ClinicalNote } from '../note/note-types.js';
import type { ChatEntry } from '../session/session-types.js';

/** One message of the visit's chat, as the session holds it (one type for the chat, the session and the store). */
export type ChatRecord = ChatEntry;

/** The note as it stood when it was saved; a visit keeps every version. */
export interface NoteVersion {
  savedAt: number;
  note: ClinicalNote;
}

/** Everything one visit holds, as `VisitStore.get` assembles it. */
export interface Visit {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** In time order (by `start`). */
  segments: TranscriptSegment[];
  /** Oldest first. */
  notes: NoteVersion[];
  /** Oldest first (by `createdAt`). */
  chat: ChatRecord[];
  /**
   * How many stored records of this visit could not be read back (tampered or damaged);
   * present only when some could not. The rest of the visit is still here.
   */
  damaged?: number;
}

/** A line of the visit list. */
export interface VisitSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Spoken segments (the sentence being spoken included); gap marks are not counted here. */
  segmentCount: number;
  /** Gap marks: stretches of the recording that were not transcribed. Present only when there are some. */
  gapCount?: number;
}

export interface VisitStoreOptions {
  /** IndexedDB database name. Default `'slm-visits'`. */
  name?: string;
  /**
   * Derives the encryption key from this instead of keeping a device key in the database,
   * so the visits cannot be read without it. A database created with a passphrase needs it
   * on every open.
   */
  passphrase?: string;
  /** Visits not updated for this many days are deleted on open and by `applyRetention`. */
  retentionDays?: number;
  /** Asks the browser not to evict the database under storage pressure. Default `true`. */
  requestPersistence?: boolean;
  /**
   * Told about every record that could not be read back (code `storage-corrupt`), so an app
   * can show it; reads carry on with the rest.
   */
  onError?: (error: SlmError) => void;
  /**
   * Bytes the language model's memory of the visits (its prompt caches) may take together;
   * the least recently used are evicted beyond it. Default 256 MiB; 0 keeps none.
   */
  modelMemoryBudgetBytes?: number;
}

/** The file `VisitStore.exportAll` produces, for the user's own backup. */
export interface VisitExport {
  format: 'slm-visits';
  /** Version of this export format, not of the database schema. */
  version: number;
  exportedAt: string;
  visits: Visit[];
}

import type { TranscriptSegment } from '../audio/transcript-store.js';
import { RECORD_FORMAT, seal, unseal } from './visit-crypto.js';
import type { ChatRow, NoteRow, SegmentRow, VisitRow } from './visit-schema.js';
import type { ChatRecord, NoteVersion } from './visit-types.js';

/** The sealed part of a visit header. */
export interface VisitHeader {
  title: string;
  createdAt: number;
  /**
   * How many note versions the visit has saved: the newest one's number. Sealed here, so
   * removing the newest versions (a rollback) shows as versions missing.
   */
  notes: number;
}

// Each row's sealing context names the format and the row (a note version by its number), so
// sealed content cannot be moved between rows, or between versions, unnoticed.
const context = (...identity: unknown[]) => ['slm-visits', RECORD_FORMAT, ...identity];
const visitContext = (id: string) => context('visit', id);
const segmentContext = (visitId: string, id: string) => context('segment', visitId, id);
const noteContext = (visitId: string, version: number) => context('note', visitId, version);
const chatContext = (visitId: string, id: string) => context('chat', visitId, id);

export async function sealVisit(key: CryptoKey, id: string, updatedAt: number, header: VisitHeader): Promise<VisitRow> {
  return { id, updatedAt, sealed: await seal(key, visitContext(id), header) };
}

export async function openVisit(key: CryptoKey, row: VisitRow): Promise<VisitHeader> {
  const header = await unseal<VisitHeader>(key, visitContext(row.id), row.sealed);
  return { ...header, notes: header.notes ?? 0 };
}

export async function sealSegment(key: CryptoKey, visitId: string, segment: TranscriptSegment): Promise<SegmentRow> {
  const sealed = await seal(key, segmentContext(visitId, segment.id), segment);
  return segment.gap === undefined ? { visitId, id: segment.id, sealed } : { visitId, id: segment.id, gapOf: visitId, sealed };
}

export function openSegment(key: CryptoKey, row: SegmentRow): Promise<TranscriptSegment> {
  return unseal(key, segmentContext(row.visitId, row.id), row.sealed);
}

export async function sealNote(key: CryptoKey, visitId: string, version: number, note: NoteVersion): Promise<NoteRow> {
  return { visitId, version, sealed: await seal(key, noteContext(visitId, version), note) };
}

/** A note version and its number; a row without a number (format 1, or altered) does not open. */
export async function openNote(key: CryptoKey, row: NoteRow): Promise<{ version: number; note: NoteVersion }> {
  if (!Number.isInteger(row.version)) throw new TypeError('The note version has no number.');
  return { version: row.version!, note: await unseal<NoteVersion>(key, noteContext(row.visitId, row.version!), row.sealed) };
}

export async function sealChat(key: CryptoKey, visitId: string, message: ChatRecord): Promise<ChatRow> {
  return { visitId, id: message.id, sealed: await seal(key, chatContext(visitId, message.id), message) };
}

export function openChat(key: CryptoKey, row: ChatRow): Promise<ChatRecord> {
  return unseal(key, chatContext(row.visitId, row.id), row.sealed);
}

/** Readers of record format 1, for re-sealing a store written before format 2. */
export const formatOne = {
  visit: (key: CryptoKey, row: VisitRow) => unseal<Omit<VisitHeader, 'notes'>>(key, ['visit', row.id], row.sealed),
  segment: (key: CryptoKey, row: SegmentRow) => unseal<TranscriptSegment>(key, ['segment', row.visitId, row.id], row.sealed),
  note: (key: CryptoKey, row: NoteRow) => unseal<NoteVersion>(key, ['note', row.visitId], row.sealed),
  chat: (key: CryptoKey, row: ChatRow) => unseal<ChatRecord>(key, ['chat', row.visitId, row.id], row.sealed),
};

/** A visit's note versions checked against the count its header keeps. */
export interface CheckedVersions {
  /** The versions that belong, oldest first. */
  notes: NoteVersion[];
  /** Versions the header counts that are neither here nor among the damaged rows: removed (rolled back). */
  missing: number;
  /** Rows numbered past the header's count, or twice: copied in from another time. */
  extra: number;
}

export function checkVersions(count: number | undefined, opened: Array<{ version: number; note: NoteVersion }>, damagedRows: number): CheckedVersions {
  const byVersion = new Map<number, NoteVersion>();
  let extra = 0;
  for (const { version, note } of opened) {
    if ((count !== undefined && version > count) || byVersion.has(version)) extra++;
    else byVersion.set(version, note);
  }
  const missing = count === undefined ? 0 : Math.max(0, count - byVersion.size - damagedRows);
  const notes = [...byVersion.entries()].sort(([a], [b]) => a - b).map(([, note]) => note);
  return { notes, missing, extra };
}

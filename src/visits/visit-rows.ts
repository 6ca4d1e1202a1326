import type { TranscriptSegment } from '../audio/transcript-store.js';
import { seal, unseal } from './visit-crypto.js';
import type { ChatRow, NoteRow, SegmentRow, VisitRow } from './visit-schema.js';
import type { ChatRecord, NoteVersion } from './visit-types.js';

/** The sealed part of a visit header. */
export interface VisitHeader {
  title: string;
  createdAt: number;
}

// Each row's sealing context names the row, so sealed content cannot be moved between rows unnoticed.
const visitContext = (id: string) => ['visit', id];
const segmentContext = (visitId: string, id: string) => ['segment', visitId, id];
const noteContext = (visitId: string) => ['note', visitId];
const chatContext = (visitId: string, id: string) => ['chat', visitId, id];

export async function sealVisit(key: CryptoKey, id: string, updatedAt: number, header: VisitHeader): Promise<VisitRow> {
  return { id, updatedAt, sealed: await seal(key, visitContext(id), header) };
}

export function openVisit(key: CryptoKey, row: VisitRow): Promise<VisitHeader> {
  return unseal(key, visitContext(row.id), row.sealed);
}

export async function sealSegment(key: CryptoKey, visitId: string, segment: TranscriptSegment): Promise<SegmentRow> {
  return { visitId, id: segment.id, sealed: await seal(key, segmentContext(visitId, segment.id), segment) };
}

export function openSegment(key: CryptoKey, row: SegmentRow): Promise<TranscriptSegment> {
  return unseal(key, segmentContext(row.visitId, row.id), row.sealed);
}

export async function sealNote(key: CryptoKey, visitId: string, version: NoteVersion): Promise<NoteRow> {
  return { visitId, sealed: await seal(key, noteContext(visitId), version) };
}

export function openNote(key: CryptoKey, row: NoteRow): Promise<NoteVersion> {
  return unseal(key, noteContext(row.visitId), row.sealed);
}

export async function sealChat(key: CryptoKey, visitId: string, message: ChatRecord): Promise<ChatRow> {
  return { visitId, id: message.id, sealed: await seal(key, chatContext(visitId, message.id), message) };
}

export function openChat(key: CryptoKey, row: ChatRow): Promise<ChatRecord> {
  return unseal(key, chatContext(row.visitId, row.id), row.sealed);
}

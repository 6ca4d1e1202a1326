import type { TranscriptChange, TranscriptSegment } from '../audio/transcript-store.js';
import type { ClinicalNote, NoteChangeCause, NoteExportFormat } from '../note/note-types.js';

/** One message of the visit's chat: the clinician's, or an answer (of a model or of the app). */
export interface ChatEntry {
  id: string;
  role: 'user' | 'assistant';
  /** Plain text for the user, Markdown for the assistant (rendered sanitised, never as raw HTML). */
  content: string;
  createdAt: number;
  /** Assistant messages: still streaming, finished, stopped by the user, or failed. */
  status?: 'streaming' | 'done' | 'stopped' | 'error';
  /** Who answered: the app itself (a command), the small model, or the big one. */
  answeredBy?: 'app' | 'small' | 'main';
  /** A destructive command waiting for the clinician's yes or no (see `Conversation.confirm`). */
  confirmation?: { command: 'new-visit' | 'clear'; status: 'pending' | 'confirmed' | 'cancelled' };
}

/** A visit as the session holds it: what `VisitSession.open` takes. */
export interface SessionVisit {
  id: string;
  /** Final segments, and the open segment of a recording cut off by a reload (`final: false`; it comes back `interrupted`). */
  segments: TranscriptSegment[];
  /** The newest note version; null when the visit has none. */
  note: ClinicalNote | null;
  chat: ChatEntry[];
}

/** What `<slm-note>` lends the session, so a chat command can act on the note without finding the element. */
export interface NoteEditor {
  addItem(sectionId: string, text: string): unknown;
  download(format: NoteExportFormat): void;
}

export interface SessionTranscriptDetail extends TranscriptChange {
  /** The visit the segment belongs to, read when it changed. */
  visitId: string;
}

export interface SessionNoteDetail {
  visitId: string;
  note: ClinicalNote;
  cause: NoteChangeCause;
}

export interface SessionChatDetail {
  visitId: string;
  /** The message added or changed; null when the chat was emptied. */
  message: ChatEntry | null;
  messages: readonly ChatEntry[];
}

export interface SessionVisitDetail {
  visitId: string;
  previousId: string;
  /** `new`: `startNew()`; `open`: `open()` of a stored visit. */
  reason: 'new' | 'open';
}

export interface SessionSealDetail {
  /** The visit being sealed. */
  visitId: string;
  /** Delays the switch until `work` settles: a recording draining its last words, an answer stopping. */
  waitUntil(work: Promise<unknown>): void;
}

export interface SessionAccessDetail {
  readOnly: boolean;
  /** Why, in words a person can act on; empty when writable. */
  reason: string;
}

export interface VisitSessionEventMap {
  /** A transcript segment changed (the transcript store's own `slm-transcript`, with the visit id). */
  'slm-session-transcript': CustomEvent<SessionTranscriptDetail>;
  'slm-session-note': CustomEvent<SessionNoteDetail>;
  'slm-session-chat': CustomEvent<SessionChatDetail>;
  /** The visit is about to change: listeners finish what belongs to it (`waitUntil`). */
  'slm-session-seal': CustomEvent<SessionSealDetail>;
  /** Another visit is open: a new one, or a stored one. */
  'slm-session-visit': CustomEvent<SessionVisitDetail>;
  'slm-session-access': CustomEvent<SessionAccessDetail>;
}

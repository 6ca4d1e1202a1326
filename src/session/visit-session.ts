import { TranscriptStore, type TranscriptChange } from '../audio/transcript-store.js';
import { SlmError } from '../errors/slm-error.js';
import type { ClinicalNote, NoteChangeCause } from '../note/note-types.js';
import type { ChatEntry, NoteEditor, SessionAccessDetail, SessionVisit, VisitSessionEventMap } from './session-types.js';

const newVisitId = () => crypto.randomUUID();

/**
 * The one owner of a visit: its id, transcript (the open segment included), note, chat, and
 * whether this page may write it. Elements read and change the visit only through it, and
 * `<slm-visits>` stores what it announces, each change under the visit id it had when it
 * happened, so a new visit can never receive the previous one's words.
 *
 * `<slm-provider>` makes one; an app that shows two patients at once gives each part of the
 * page its own (`<slm-session>`, or the `session` property of the provider).
 */
export class VisitSession extends EventTarget {
  /** The visit's transcript: the transcriber writes it, the note and the chat read it. */
  readonly transcript = new TranscriptStore();
  private visitId: string = newVisitId();
  private noteState: ClinicalNote | null = null;
  private chatLog: ChatEntry[] = [];
  private access: SessionAccessDetail = { readOnly: false, reason: '' };
  private editor: NoteEditor | null = null;
  private switching: Promise<string> | null = null;
  private loading = false;
  private disposed = false;

  constructor() {
    super();
    this.transcript.addEventListener('slm-transcript', this.onTranscript);
  }

  /** The open visit's id; it changes only through `startNew()` and `open()`. */
  get id(): string {
    return this.visitId;
  }

  /** The note as its builder last left it; null until a note element has drafted one. */
  get note(): ClinicalNote | null {
    return this.noteState;
  }

  get chat(): readonly ChatEntry[] {
    return this.chatLog;
  }

  /** True while a stored visit is being put back: what changes then is not new work. */
  get restoring(): boolean {
    return this.loading;
  }

  /** Whether this page may add to the visit (another tab may be recording it). */
  get readOnly(): boolean {
    return this.access.readOnly;
  }

  get readOnlyReason(): string {
    return this.access.reason;
  }

  /** The note element that acts on `note`, when there is one. */
  get noteEditor(): NoteEditor | null {
    return this.editor;
  }

  /** Whether anything was said, written or asked in this visit yet. */
  get isEmpty(): boolean {
    return this.transcript.segments.length === 0 && this.chatLog.length === 0 && !this.noteState?.sections.some((s) => s.items.some((i) => !i.deleted));
  }

  /** Typed `addEventListener`; returns the function that removes the listener. */
  on<K extends keyof VisitSessionEventMap>(type: K, listener: (event: VisitSessionEventMap[K]) => void): () => void {
    const handler = listener as EventListener;
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /** A note element lends itself so commands (add to plan, export) reach the note of this visit. */
  attachNoteEditor(editor: NoteEditor | null): void {
    this.editor = editor;
  }

  /** The note's builder reports each change here; listeners (the store) hear it with the visit id. */
  setNote(note: ClinicalNote, cause: NoteChangeCause): void {
    this.assertLive();
    this.noteState = note;
    this.emit('slm-session-note', { visitId: this.visitId, note, cause });
  }

  /** Adds a chat message, or replaces the one with its id (a streaming answer grows). */
  putChat(entry: ChatEntry): void {
    this.assertLive();
    const index = this.chatLog.findIndex((m) => m.id === entry.id);
    this.chatLog = index === -1 ? [...this.chatLog, entry] : this.chatLog.map((m, i) => (i === index ? entry : m));
    this.emit('slm-session-chat', { visitId: this.visitId, message: entry, messages: this.chatLog });
  }

  /** Puts a saved conversation back as this visit's chat; it is not announced as new messages to store. */
  restoreChat(entries: readonly ChatEntry[]): void {
    this.assertLive();
    this.loading = true;
    try {
      this.chatLog = entries.map((m) => (m.status === 'streaming' ? { ...m, status: 'stopped' as const } : m));
      this.emit('slm-session-chat', { visitId: this.visitId, message: null, messages: this.chatLog });
    } finally {
      this.loading = false;
    }
  }

  /** Empties the chat of this visit (its stored messages too). */
  clearChat(): void {
    this.assertLive();
    this.chatLog = [];
    this.emit('slm-session-chat', { visitId: this.visitId, message: null, messages: this.chatLog });
  }

  setAccess(readOnly: boolean, reason = ''): void {
    if (this.access.readOnly === readOnly && this.access.reason === reason) return;
    this.access = { readOnly, reason: readOnly ? reason : '' };
    this.emit('slm-session-access', { ...this.access });
  }

  /**
   * Seals the open visit (a recording is stopped and its last words filed under it, a
   * streaming answer stops) and opens a new, empty one. Resolves to the new id.
   */
  startNew(): Promise<string> {
    this.assertLive();
    return this.switchTo(null);
  }

  /** Seals the open visit and puts a stored one back, exactly as it was saved. */
  open(visit: SessionVisit): Promise<string> {
    this.assertLive();
    return this.switchTo(visit);
  }

  /** Ends the session: listeners are dropped and every later call throws `session-disposed`. */
  dispose(): void {
    this.disposed = true;
    this.transcript.removeEventListener('slm-transcript', this.onTranscript);
  }

  private async switchTo(visit: SessionVisit | null): Promise<string> {
    // One switch at a time: a second "new visit" while the first is sealing waits for it.
    while (this.switching) await this.switching.catch(() => undefined);
    const run = this.seal().then(() => this.replace(visit));
    this.switching = run;
    try {
      return await run;
    } finally {
      this.switching = null;
    }
  }

  private async seal(): Promise<void> {
    const work: Promise<unknown>[] = [];
    this.emit('slm-session-seal', { visitId: this.visitId, waitUntil: (p: Promise<unknown>) => work.push(p) });
    await Promise.allSettled(work);
  }

  private replace(visit: SessionVisit | null): string {
    const previousId = this.visitId;
    this.loading = true;
    try {
      this.visitId = visit?.id ?? newVisitId();
      this.transcript.clear();
      // A partial stored mid-sentence comes back marked: it reaches the note only once a person confirms it.
      for (const segment of visit?.segments ?? []) this.transcript.upsert(segment.final ? segment : { ...segment, interrupted: true });
      this.noteState = visit?.note ?? null;
      this.chatLog = visit ? visit.chat.map((m) => (m.status === 'streaming' ? { ...m, status: 'stopped' as const } : m)) : [];
      this.access = { readOnly: false, reason: '' };
      this.emit('slm-session-visit', { visitId: this.visitId, previousId, reason: visit ? 'open' : 'new' });
      this.emit('slm-session-chat', { visitId: this.visitId, message: null, messages: this.chatLog });
    } finally {
      this.loading = false;
    }
    return this.visitId;
  }

  private assertLive(): void {
    if (this.disposed) throw new SlmError('session-disposed', 'This visit session was closed and can no longer change; use the session its provider offers now. What it stored is unaffected.');
  }

  private emit<K extends keyof VisitSessionEventMap>(type: K, detail: VisitSessionEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private readonly onTranscript = (event: Event) => {
    const { detail } = event as CustomEvent<TranscriptChange>;
    this.emit('slm-session-transcript', { ...detail, visitId: this.visitId });
  };
}

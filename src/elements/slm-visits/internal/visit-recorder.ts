import type { TranscriptChange, TranscriptStore } from '../../../audio/transcript-store.js';
import type { ChatEntry, ChatMessageDetail } from '../../../chat/chat-types.js';
import { SlmError } from '../../../errors/slm-error.js';
import type { ClinicalNote, NoteChangeDetail } from '../../../note/note-types.js';
import type { VisitStore } from '../../../visits/visit-store.js';
import type { Visit } from '../../../visits/visit-types.js';

/** What the recorder needs of the page's elements; `<slm-note>` and `<slm-chat>` have it. */
export interface RecordedNote {
  note: ClinicalNote;
}
export interface RecordedChat {
  messages: ChatEntry[];
}

export interface VisitRecorderOptions {
  /** Milliseconds a note change waits before it is saved, so typing saves once, not per key. */
  noteDelayMs?: number;
  onError: (error: SlmError) => void;
  onVisit: (visit: { id: string }) => void;
  /** Something of the current visit was stored (the list's counts and times change). */
  onWrite?: () => void;
}

/**
 * Writes the current visit as it happens: each final or corrected transcript segment, each
 * chat message, and the note (debounced) go to the store the moment they change, so a crash
 * or a reload loses at most the last keystrokes. A failed write is reported and leaves
 * everything in memory as it was.
 */
export class VisitRecorder {
  visitId: string | null = null;
  private creating: Promise<string> | null = null;
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingNote: ClinicalNote | null = null;
  private restoring = false;

  constructor(
    private readonly store: VisitStore,
    private readonly transcript: TranscriptStore,
    private readonly events: EventTarget,
    private readonly options: VisitRecorderOptions,
  ) {
    transcript.addEventListener('slm-transcript', this.onTranscript);
    events.addEventListener('slm-note-change', this.onNote);
    events.addEventListener('slm-chat-message', this.onChat);
  }

  dispose(): void {
    void this.flush();
    this.transcript.removeEventListener('slm-transcript', this.onTranscript);
    this.events.removeEventListener('slm-note-change', this.onNote);
    this.events.removeEventListener('slm-chat-message', this.onChat);
  }

  /** Puts a stored visit back on the page exactly: transcript, latest note, chat. */
  async restore(visit: Visit, note: RecordedNote | null, chat: RecordedChat | null): Promise<void> {
    await this.flush();
    this.restoring = true;
    try {
      this.visitId = visit.id;
      this.transcript.clear();
      for (const segment of visit.segments) this.transcript.upsert(segment);
      const latest = visit.notes.at(-1)?.note;
      if (note && latest) note.note = latest;
      if (chat) chat.messages = visit.chat as ChatEntry[];
    } finally {
      this.restoring = false;
    }
  }

  /** Starts recording into a new visit the next time something is said or written. */
  detach(): void {
    void this.flush();
    this.visitId = null;
  }

  /** Saves the note now if a save is waiting. */
  async flush(): Promise<void> {
    clearTimeout(this.noteTimer);
    const note = this.pendingNote;
    this.pendingNote = null;
    if (note && this.visitId) await this.write(() => this.store.saveNote(this.visitId!, note));
  }

  private async visit(): Promise<string> {
    if (this.visitId) return this.visitId;
    this.creating ??= this.store
      .create({ title: `Visit ${new Date().toLocaleString()}` })
      .then((visit) => {
        this.visitId = visit.id;
        this.options.onVisit(visit);
        return visit.id;
      })
      .finally(() => (this.creating = null));
    return this.creating;
  }

  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.options.onWrite?.();
    } catch (error) {
      this.options.onError(error instanceof SlmError ? error : new SlmError('storage-failed', String(error), { cause: error }));
    }
  }

  private readonly onTranscript = (event: Event) => {
    const { segment } = (event as CustomEvent<TranscriptChange>).detail;
    // Partials change several times a second and are replaced by their final: only finals
    // (and corrections, which are final) are kept.
    if (this.restoring || !segment.final) return;
    void this.write(async () => this.store.putSegment(await this.visit(), segment));
  };

  private readonly onNote = (event: Event) => {
    const { note, cause } = (event as CustomEvent<NoteChangeDetail>).detail;
    if (this.restoring || cause === 'restore') return;
    const empty = note.sections.every((s) => s.items.length === 0);
    if (empty && !this.visitId) return;
    this.pendingNote = note;
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => {
      void this.visit().then(() => this.flush());
    }, this.options.noteDelayMs ?? 800);
  };

  private readonly onChat = (event: Event) => {
    const { message } = (event as CustomEvent<ChatMessageDetail>).detail;
    if (this.restoring) return;
    void this.write(async () => this.store.putChat(await this.visit(), message));
  };
}

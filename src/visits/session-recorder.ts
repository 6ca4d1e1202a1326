import type { TranscriptSegment } from '../audio/transcript-store.js';
import { SlmError } from '../errors/slm-error.js';
import type { ClinicalNote } from '../note/note-types.js';
import type { SessionChatDetail, SessionNoteDetail, SessionTranscriptDetail, SessionVisitDetail, VisitSessionEventMap } from '../session/session-types.js';
import type { VisitSession } from '../session/visit-session.js';
import type { VisitStore } from './visit-store.js';

export interface SessionRecorderOptions {
  /** Milliseconds a note change waits before it is saved, so typing saves once, not per key. Default 800. */
  noteDelayMs?: number;
  /** How often, at most, the open segment's newest partial text is written. Default 1000. */
  partialDelayMs?: number;
  /** Whether this page may write the visit (it holds the visit's lock); asked before its first write. */
  mayWrite?: (visitId: string) => Promise<boolean>;
  /** The first failure after a success; later ones only change `unsaved`. */
  onError: (error: SlmError) => void;
  /** A visit's first record was stored. */
  onCreated?: (visitId: string) => void;
  /** Something was stored, or the count of unsaved changes changed. */
  onChange?: () => void;
}

interface Write {
  visitId: string;
  work: () => Promise<void>;
  seq: number;
}

/**
 * Stores a session as it happens (write-ahead): each final or corrected segment at once, the
 * open segment's newest partial about once a second, each chat message, and the note after a
 * pause in the changes. Every write carries the visit id of the moment the change happened.
 * A write that fails stays queued (the newest per record) and is tried again after the next
 * write that succeeds, or on `retry()`; `unsaved` counts what is not stored yet.
 */
export class SessionRecorder {
  private readonly created = new Set<string>();
  private readonly creating = new Map<string, Promise<void>>();
  private readonly failed = new Map<string, Write>();
  private readonly latest = new Map<string, number>();
  private readonly partials = new Map<string, { visitId: string; segment: TranscriptSegment }>();
  private readonly forgotten = new Set<string>();
  private partialTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingNote: { visitId: string; note: ClinicalNote } | null = null;
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  private inflight = 0;
  private seq = 0;
  private reported = false;
  private retrying = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly store: VisitStore,
    private readonly session: VisitSession,
    private readonly options: SessionRecorderOptions,
  ) {
    const on = <K extends keyof VisitSessionEventMap>(type: K, listener: (event: VisitSessionEventMap[K]) => void) => session.on(type, listener);
    this.unsubscribe = [
      on('slm-session-transcript', (e) => this.onTranscript(e.detail)),
      on('slm-session-note', (e) => this.onNote(e.detail)),
      on('slm-session-chat', (e) => this.onChat(e.detail)),
      on('slm-session-seal', (e) => e.detail.waitUntil(this.flush())),
      on('slm-session-visit', (e) => this.onVisit(e.detail)),
    ];
  }

  /** Changes not stored yet: failed writes waiting for a retry, writes under way, partials and a note waiting their turn. */
  get unsaved(): number {
    return this.failed.size + this.inflight + this.partials.size + (this.pendingNote ? 1 : 0);
  }

  /** Writes that failed and wait for a retry (what a reload would lose). */
  get failedCount(): number {
    return this.failed.size;
  }

  /** Whether the visit has records in the store (it was opened from it, or written to). */
  isStored(visitId: string): boolean {
    return this.created.has(visitId);
  }

  /** A visit that is in the store already (opened from it). */
  markStored(visitId: string): void {
    this.created.add(visitId);
  }

  /** Drops everything queued for a visit (deleted or erased elsewhere), or for all when no id is given. */
  forget(visitId?: string): void {
    const ids = visitId === undefined ? new Set([this.session.id, ...this.created, ...[...this.failed.values()].map((w) => w.visitId), ...[...this.partials.values()].map((p) => p.visitId)]) : new Set([visitId]);
    if (this.pendingNote) ids.add(visitId ?? this.pendingNote.visitId);
    const matches = (id: string) => ids.has(id);
    for (const [key, write] of this.failed) if (matches(write.visitId)) this.failed.delete(key);
    for (const [key, partial] of this.partials) if (matches(partial.visitId)) this.partials.delete(key);
    if (this.pendingNote && matches(this.pendingNote.visitId)) this.pendingNote = null;
    for (const id of ids) {
      this.created.delete(id);
      this.forgotten.add(id);
    }
    this.options.onChange?.();
  }

  /** Writes the waiting partials and note now, then tries the failed writes again. */
  async flush(): Promise<void> {
    clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
    clearTimeout(this.noteTimer);
    const writes: Promise<void>[] = [];
    for (const { visitId, segment } of this.partials.values()) writes.push(this.saveSegment(visitId, segment));
    this.partials.clear();
    const note = this.pendingNote;
    this.pendingNote = null;
    if (note) writes.push(this.save(`note:${note.visitId}`, note.visitId, () => this.store.saveNote(note.visitId, note.note)));
    await Promise.all(writes);
    await this.retry();
  }

  /** Tries every failed write again, oldest first. Resolves once they settled. */
  async retry(): Promise<void> {
    if (this.retrying || this.failed.size === 0) return;
    this.retrying = true;
    try {
      const waiting = [...this.failed];
      for (const [key] of waiting) this.failed.delete(key);
      for (const [key, write] of waiting) await this.run(key, write);
    } finally {
      this.retrying = false;
    }
  }

  dispose(): void {
    this.unsubscribe.forEach((off) => off());
    void this.flush();
  }

  private onTranscript({ segment, visitId }: SessionTranscriptDetail): void {
    if (this.session.restoring) return;
    if (!this.session.transcript.get(segment.id)) {
      this.partials.delete(segment.id);
      if (this.created.has(visitId)) void this.save(`segment:${visitId}:${segment.id}`, visitId, () => this.store.removeSegment(visitId, segment.id));
      return;
    }
    if (segment.final) {
      this.partials.delete(segment.id);
      void this.saveSegment(visitId, segment);
      return;
    }
    // The open segment changes several times a second; its newest text is kept about once a
    // second, so a reload mid-sentence brings back what was being said (as non-final text).
    this.partials.set(segment.id, { visitId, segment });
    this.partialTimer ??= setTimeout(() => {
      this.partialTimer = undefined;
      const due = [...this.partials.values()];
      this.partials.clear();
      for (const { visitId: id, segment: open } of due) void this.saveSegment(id, open);
    }, this.options.partialDelayMs ?? 1000);
    this.options.onChange?.();
  }

  private onNote({ visitId, note, cause }: SessionNoteDetail): void {
    if (this.session.restoring || cause === 'restore') return;
    const empty = note.sections.every((s) => s.items.every((i) => i.deleted || !i.text.trim()));
    if (empty && !this.created.has(visitId)) return;
    if (this.pendingNote && this.pendingNote.visitId !== visitId) void this.flush();
    this.pendingNote = { visitId, note };
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => void this.flush(), this.options.noteDelayMs ?? 800);
    this.options.onChange?.();
  }

  private onChat({ visitId, message }: SessionChatDetail): void {
    if (this.session.restoring) return;
    if (!message) {
      if (this.created.has(visitId)) void this.save(`chat-clear:${visitId}`, visitId, () => this.store.clearChat(visitId));
      return;
    }
    const snapshot = { ...message };
    void this.save(`chat:${visitId}:${message.id}`, visitId, () => this.store.putChat(visitId, snapshot));
  }

  private onVisit({ visitId, reason }: SessionVisitDetail): void {
    if (reason === 'open') this.created.add(visitId);
  }

  private saveSegment(visitId: string, segment: TranscriptSegment): Promise<void> {
    const snapshot = { ...segment };
    return this.save(`segment:${visitId}:${segment.id}`, visitId, () => this.store.putSegment(visitId, snapshot));
  }

  private save(key: string, visitId: string, work: () => Promise<void>): Promise<void> {
    const seq = ++this.seq;
    this.latest.set(key, seq);
    // A newer write of the same record replaces a failed older one: only the newest is retried.
    this.failed.delete(key);
    return this.run(key, { visitId, work, seq });
  }

  private async run(key: string, write: Write): Promise<void> {
    this.inflight++;
    this.options.onChange?.();
    try {
      if (this.isForgotten(write.visitId)) return;
      if (this.options.mayWrite && !(await this.options.mayWrite(write.visitId))) {
        throw new SlmError('visit-read-only', 'This visit is open in another tab, which is recording it, so this page does not store it. What you see here is kept on this page; start a new visit to keep working.');
      }
      await this.ensureVisit(write.visitId);
      await write.work();
      if (this.latest.get(key) === write.seq) this.latest.delete(key);
      this.reported = false;
      // Storage works again: whatever failed before goes now.
      if (this.failed.size && !this.retrying) void this.retry();
    } catch (error) {
      const slm = SlmError.from(error, 'storage-failed');
      if ((this.latest.get(key) ?? write.seq) <= write.seq && !this.isForgotten(write.visitId)) this.failed.set(key, write);
      if (!this.reported) {
        this.reported = true;
        this.options.onError(slm);
      }
    } finally {
      this.inflight--;
      this.options.onChange?.();
    }
  }

  private isForgotten(visitId: string): boolean {
    return this.forgotten.has(visitId);
  }

  private ensureVisit(visitId: string): Promise<void> {
    if (this.created.has(visitId)) return Promise.resolve();
    let creating = this.creating.get(visitId);
    if (!creating) {
      creating = this.store
        .ensure(visitId, { title: `Visit ${new Date().toLocaleString()}` })
        .then((isNew) => {
          this.created.add(visitId);
          if (isNew) this.options.onCreated?.(visitId);
        })
        .finally(() => this.creating.delete(visitId));
      this.creating.set(visitId, creating);
    }
    return creating;
  }
}

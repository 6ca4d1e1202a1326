/** One stretch of speech on the recording's timeline. */
export interface TranscriptSegment {
  id: string;
  text: string;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  /** Final text of a finished utterance, or a partial hypothesis that may still change. */
  final: boolean;
  /** The part of a partial that consecutive hypotheses agree on. */
  stableText?: string;
  /** A person corrected this segment: the model never replaces it again. */
  edited?: boolean;
  /**
   * The open segment of a recording cut off by a reload, put back non-final. Nobody knows
   * whether the recogniser would have kept its words, so it stays out of the note until a
   * person confirms it (`confirm`) or discards it (`remove`); no later hypothesis replaces it.
   */
  interrupted?: boolean;
  /**
   * Not speech: a mark where the recording lost audio (the browser suspended it: a hidden tab,
   * another app took the device), `gap` seconds long. Its text is empty; it is final.
   */
  gap?: number;
  /** Why the gap: the browser suspended the audio (the default), or reading a file was stopped with the rest unread. */
  gapCause?: 'suspended' | 'stopped';
}

export interface TranscriptChange {
  segment: TranscriptSegment;
  segments: TranscriptSegment[];
}

export interface TranscriptStoreEventMap {
  'slm-transcript': CustomEvent<TranscriptChange>;
  'slm-transcript-highlight': CustomEvent<{ ids: string[] }>;
  'slm-transcript-clear': Event;
}

/**
 * The transcript of the current visit, kept on the shared engine so the note structurer and
 * the chat read the same segments the transcriber shows. Corrections stay: an edited segment
 * is never overwritten by a later hypothesis.
 */
export class TranscriptStore extends EventTarget {
  private readonly byId = new Map<string, TranscriptSegment>();
  private highlightedIds: string[] = [];

  get segments(): TranscriptSegment[] {
    return [...this.byId.values()].sort((a, b) => a.start - b.start);
  }

  get text(): string {
    return this.segments
      .filter((s) => s.final && s.gap === undefined)
      .map((s) => s.text)
      .join(' ');
  }

  get(id: string): TranscriptSegment | undefined {
    return this.byId.get(id);
  }

  /** Adds or updates a segment from the recogniser; a final or edited segment keeps its text. */
  upsert(segment: TranscriptSegment): TranscriptSegment {
    const existing = this.byId.get(segment.id);
    if (existing?.edited || existing?.interrupted) return existing;
    if (existing?.final && !segment.final) return existing;
    const next = { ...existing, ...segment };
    this.byId.set(segment.id, next);
    this.emit(next);
    return next;
  }

  /**
   * A person's correction: it becomes the segment's text for good. An interrupted segment
   * keeps waiting for its confirmation: correcting it is not yet vouching for it.
   */
  edit(id: string, text: string): TranscriptSegment | undefined {
    const existing = this.byId.get(id);
    if (!existing) return undefined;
    const next = { ...existing, text, stableText: text, final: !existing.interrupted, edited: true };
    this.byId.set(id, next);
    this.emit(next);
    return next;
  }

  /** A person checked an interrupted segment (and maybe corrected it): it becomes final and goes to the note like any other. */
  confirm(id: string, text?: string): TranscriptSegment | undefined {
    const existing = this.byId.get(id);
    if (!existing?.interrupted) return existing;
    const { interrupted: _interrupted, ...rest } = existing;
    const settled = text ?? existing.text;
    const next: TranscriptSegment = { ...rest, text: settled, stableText: settled, final: true, edited: true };
    this.byId.set(id, next);
    this.emit(next);
    return next;
  }

  /** Interrupted segments still waiting for a person to confirm or discard them. */
  get interrupted(): TranscriptSegment[] {
    return this.segments.filter((s) => s.interrupted);
  }

  remove(id: string): void {
    const existing = this.byId.get(id);
    if (existing && this.byId.delete(id)) this.emit(existing);
  }

  /** Empties the transcript (a new visit); listeners hear `slm-transcript-clear`. */
  clear(): void {
    this.byId.clear();
    this.highlightedIds = [];
    this.dispatchEvent(new Event('slm-transcript-clear'));
  }

  /** Segments a reader is looking at elsewhere (a note item's sources): the transcriber marks them. */
  get highlighted(): readonly string[] {
    return this.highlightedIds;
  }

  highlight(ids: string[]): void {
    if (ids.length === this.highlightedIds.length && ids.every((id, i) => id === this.highlightedIds[i])) return;
    this.highlightedIds = [...ids];
    this.dispatchEvent(new CustomEvent('slm-transcript-highlight', { detail: { ids: this.highlightedIds } }));
  }

  private emit(segment: TranscriptSegment): void {
    this.dispatchEvent(new CustomEvent('slm-transcript', { detail: { segment, segments: this.segments } }));
  }
}

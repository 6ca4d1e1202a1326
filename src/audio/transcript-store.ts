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
      .filter((s) => s.final)
      .map((s) => s.text)
      .join(' ');
  }

  get(id: string): TranscriptSegment | undefined {
    return this.byId.get(id);
  }

  /** Adds or updates a segment from the recogniser; a final or edited segment keeps its text. */
  upsert(segment: TranscriptSegment): TranscriptSegment {
    const existing = this.byId.get(segment.id);
    if (existing?.edited) return existing;
    if (existing?.final && !segment.final) return existing;
    const next = { ...existing, ...segment };
    this.byId.set(segment.id, next);
    this.emit(next);
    return next;
  }

  /** A person's correction: it becomes the segment's text for good. */
  edit(id: string, text: string): TranscriptSegment | undefined {
    const existing = this.byId.get(id);
    if (!existing) return undefined;
    const next = { ...existing, text, stableText: text, final: true, edited: true };
    this.byId.set(id, next);
    this.emit(next);
    return next;
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

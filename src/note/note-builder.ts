import type { TranscriptChange, TranscriptSegment, TranscriptStore } from '../audio/transcript-store.js';
import type { SlmEngine } from '../engine/slm-engine.js';
import { SlmError, isAbort, isModelLoss } from '../errors/slm-error.js';
import { draftItems, emptyNote } from './draft-structurer.js';
import { readItemFacts, statesFact, type ClinicalFact } from './clinical-facts.js';
import { checkGrounding } from './grounding.js';
import { parseModelUpdate, parsePartialUpdate } from './model-output.js';
import { addItem, editItem, lockItem, mergeModelUpdate, removeItem } from './note-edits.js';
import { DEFAULT_BUDGET, nextWindow, noteMessages, noteSchema, type PromptBudget, WITHHELD_INSTRUCTION } from './note-prompt.js';
import type { ClinicalNote, GroundingFlag, NoteChangeCause, NoteChangeDetail, NoteItem, NoteOmission, NoteTemplate } from './note-types.js';

export type NoteStatus = 'idle' | 'waiting' | 'updating';

export interface NoteBuilderOptions {
  template: NoteTemplate;
  /** Milliseconds of quiet after a final segment before the model is asked. Default 1500. */
  debounceMs?: number;
  /** `auto`: the model refines the draft when the provider has an LLM; `off`: draft only. */
  refine?: 'auto' | 'off';
  budget?: PromptBudget;
  /** Most tokens one update may write. Default 768. */
  maxTokens?: number;
  onChange: (detail: NoteChangeDetail) => void;
  /** The statements of an update still streaming in, per section; null when none is. */
  onPreview?: (preview: Map<string, NoteItem[]> | null) => void;
  onStatus?: (status: NoteStatus) => void;
  onError?: (error: SlmError) => void;
  /**
   * Whose transcript this is (the visit id), read at each update: the model's memory of one
   * visit's prompt is never reused for another's.
   */
  cacheKey?: () => string | undefined;
}

let instances = 0;


/** How many times in a row an update interrupted by a lost GPU or worker is retried at once. */
const MAX_RECOVERIES = 2;
/**
 * Builds the note from the visit's transcript: an instant rule-based draft for each final
 * segment, then, debounced, a model update for the segments it has not read yet. The
 * clinician's edits are applied here too, so every path goes through the same merge.
 */
export class NoteBuilder {
  private note: ClinicalNote;
  private store: TranscriptStore | null = null;
  private engine: SlmEngine | null = null;
  private readonly drafted = new Map<string, string>();
  private readonly refined = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  /** Updates retried in a row after the model's worker or GPU was lost. */
  private recoveries = 0;
  private running: AbortController | null = null;
  private lastSection: string | undefined;
  private omissions: NoteOmission[] = [];
  private readonly supersedeKey = `slm-note:${++instances}`;
  status: NoteStatus = 'idle';

  constructor(private options: NoteBuilderOptions) {
    this.note = emptyNote(options.template);
  }

  get current(): ClinicalNote {
    return this.note;
  }

  get template(): NoteTemplate {
    return this.options.template;
  }

  /** Follows a transcript store (the engine's): what is already final is drafted at once. */
  attach(store: TranscriptStore | null, engine: SlmEngine | null): void {
    if (this.store === store && this.engine === engine) return;
    this.store?.removeEventListener('slm-transcript', this.onTranscript);
    this.store = store;
    this.engine = engine;
    store?.addEventListener('slm-transcript', this.onTranscript);
    if (store) this.draftFrom(store.segments.filter((s) => s.final));
  }

  detach(): void {
    this.attach(null, null);
    this.cancel();
  }

  configure(options: Partial<Omit<NoteBuilderOptions, 'onChange'>>): void {
    const templateChanged = options.template && options.template !== this.options.template;
    this.options = { ...this.options, ...options };
    if (templateChanged) this.rebuild('template');
  }

  /** Back to an empty note: the transcript is drafted again, and read again by the model. */
  reset(): void {
    this.rebuild('reset');
  }

  /** Puts back a saved note (a visit reopened, a form restored) as it was. */
  restore(note: ClinicalNote): void {
    this.cancel();
    this.note = note;
    // Omissions cannot be worked out again (the model's answer is gone): they come back with the note.
    this.omissions = structuredClone(note.review?.omissions ?? []);
    // The saved note already covers the transcript it was saved with: nothing is drafted or
    // sent to the model again, until a segment changes or a new one arrives.
    const ids = new Set([...note.sections.flatMap((s) => s.items.flatMap((i) => i.sources)), ...(this.store?.segments.filter((s) => s.final).map((s) => s.id) ?? [])]);
    this.drafted.clear();
    this.refined.clear();
    for (const id of ids) {
      this.drafted.set(id, this.store?.get(id)?.text ?? '');
      this.refined.add(id);
    }
    this.emit('restore', []);
  }

  edit(itemId: string, text: string): void {
    this.apply(editItem(this.note, itemId, text), 'edit', [itemId]);
  }

  lock(itemId: string, locked: boolean): void {
    this.apply(lockItem(this.note, itemId, locked), 'lock', [itemId]);
  }

  remove(itemId: string): void {
    this.apply(removeItem(this.note, itemId), 'remove', [itemId]);
  }

  add(sectionId: string, text: string): NoteItem {
    const item: NoteItem = { id: `clinician:${crypto.randomUUID()}`, text, sources: [], origin: 'clinician', locked: true };
    this.apply(addItem(this.note, sectionId, item), 'add', [item.id]);
    return item;
  }

  /** Asks the model now instead of after the debounce. Resolves when that update is merged. */
  async refineNow(): Promise<void> {
    clearTimeout(this.timer);
    await this.refine();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.running?.abort(new SlmError('aborted', 'The note update was cancelled.'));
    this.setStatus('idle');
  }

  private readonly onTranscript = (event: Event) => {
    const { segment } = (event as CustomEvent<TranscriptChange>).detail;
    if (!segment.final) return;
    this.draftFrom([segment]);
  };

  private draftFrom(segments: TranscriptSegment[]): void {
    const changed: string[] = [];
    let note = this.note;
    for (const segment of segments) {
      if (this.drafted.get(segment.id) === segment.text) continue;
      const redraft = this.drafted.has(segment.id);
      this.drafted.set(segment.id, segment.text);
      // A corrected segment is read again: its draft is redone and the model sees it anew.
      this.refined.delete(segment.id);
      if (redraft) {
        note = {
          ...note,
          sections: note.sections.map((s) => ({ ...s, items: s.items.filter((i) => i.locked || i.origin === 'clinician' || !(i.sources.length === 1 && i.sources[0] === segment.id)) })),
        };
      }
      for (const { sectionId, item } of draftItems(segment, this.options.template, this.lastSection)) {
        // An instruction to the note-taker says nothing about where the dictation is.
        if (!item.instruction) this.lastSection = sectionId;
        note = addItem(note, sectionId, item);
        changed.push(item.id);
      }
    }
    if (!changed.length) return;
    this.apply(note, 'draft', changed);
    this.scheduleRefine();
  }

  private canRefine(): boolean {
    return (this.options.refine ?? 'auto') === 'auto' && !!this.engine?.options.llm;
  }

  private scheduleRefine(delay = this.options.debounceMs ?? 1500): void {
    if (!this.canRefine()) return;
    clearTimeout(this.timer);
    this.setStatus('waiting');
    this.timer = setTimeout(() => void this.refine(), delay);
  }

  private pending(): TranscriptSegment[] {
    return (this.store?.segments ?? []).filter((s) => s.final && s.text.trim() && !this.refined.has(s.id));
  }

  private async refine(): Promise<void> {
    const engine = this.engine;
    if (!engine || !this.canRefine()) return;
    const window = nextWindow(this.pending(), this.options.budget ?? DEFAULT_BUDGET);
    if (!window.length) return this.setStatus('idle');
    const generation = ++this.generation;
    const controller = new AbortController();
    this.running = controller;
    this.setStatus('updating');
    const template = this.options.template;
    let streamed = '';
    let previewAt = 0;
    let failed = false;
    const finish = (text: string, truncated: boolean) => {
      const { items: parsed, warnings, cut } = parseModelUpdate(text, template, window, { truncated, idPrefix: `model:${generation}` });
      const items = withoutWithheldMarkers(parsed);
      const merged = mergeModelUpdate(this.note, new Set(window.map((s) => s.id)), items, { segments: window, replace: !cut });
      for (const s of window) if (this.drafted.get(s.id) === s.text) this.refined.add(s.id);
      this.omissions = [...this.omissions.filter((o) => !merged.omissions.some((m) => m.fact === o.fact && m.itemId === o.itemId)), ...merged.omissions];
      this.apply(merged.note, 'model', merged.changed, [...warnings, ...merged.warnings]);
    };
    try {
      const result = await engine.generate(noteMessages(template, this.note, window, this.options.budget), {
        priority: 'interactive',
        supersedeKey: this.supersedeKey,
        cacheKey: this.options.cacheKey?.(),
        cancelRunning: true,
        signal: controller.signal,
        jsonSchema: noteSchema(template),
        temperature: 0,
        maxTokens: this.options.maxTokens ?? 768,
        onToken: (token) => {
          streamed += token;
          // Repairing the partial JSON costs a parse; a few previews a second are plenty.
          const now = performance.now();
          if (now - previewAt > 120 && generation === this.generation) {
            previewAt = now;
            this.options.onPreview?.(parsePartialUpdate(streamed, template, window));
          }
        },
      });
      if (generation !== this.generation) return;
      this.recoveries = 0;
      finish(result.text, result.finishReason === 'length');
    } catch (error) {
      if (isAbort(error) || generation !== this.generation) return;
      failed = true;
      const failure = SlmError.from(error, 'generation-failed');
      // A stream cut off mid-answer still carries every statement it completed.
      if (failure.code !== 'note-invalid-output' && streamed.trim().startsWith('{')) {
        try {
          finish(streamed, true);
        } catch {
          // Nothing usable arrived; the draft stands.
        }
      }
      // A lost GPU or a dead worker is not the model's fault: the engine loads it again, and
      // the interrupted update is asked for once more at once.
      if (isModelLoss(failure) && this.recoveries < MAX_RECOVERIES) {
        this.recoveries++;
        failed = false;
      }
      this.options.onError?.(failure);
    } finally {
      if (generation === this.generation) {
        this.running = null;
        this.options.onPreview?.(null);
        this.setStatus('idle');
        // After a failure the next final segment tries again (with these segments too), rather
        // than a failing model being asked over and over.
        if (!failed && this.pending().length && this.canRefine()) this.scheduleRefine(0);
      }
    }
  }

  private rebuild(cause: NoteChangeCause): void {
    this.cancel();
    this.note = emptyNote(this.options.template);
    this.omissions = [];
    this.drafted.clear();
    this.refined.clear();
    this.lastSection = undefined;
    this.emit(cause, []);
    if (this.store) this.draftFrom(this.store.segments.filter((s) => s.final));
  }

  private apply(note: ClinicalNote, cause: NoteChangeCause, changed: string[], warnings: string[] = []): void {
    this.note = note;
    this.emit(cause, changed, warnings);
  }

  private emit(cause: NoteChangeCause, changed: string[], warnings: string[] = []): void {
    const flags = checkGrounding(this.note, this.store?.segments.filter((s) => s.final) ?? []);
    if (this.omissions.length) {
      const items = this.note.sections.flatMap((section) => section.items.filter((i) => !i.deleted).map((item) => ({ item, facts: readItemFacts(item.text, section.id).facts })));
      const kept = new Set(this.omissions.map((o) => o.itemId));
      this.omissions = this.omissions.filter((omission) => stillOmitted(omission, items, kept));
    }
    this.note = withReview(this.note, flags, this.omissions);
    this.options.onChange({ note: this.note, cause, changed, flags, warnings, omissions: [...this.omissions] });
  }

  private setStatus(status: NoteStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }
}

/**
 * An omission stands while the item kept for it is still the dictation's (not edited or
 * removed by the clinician) and no statement of the note, other than those kept for
 * omissions, has restored the fact.
 */
function stillOmitted(omission: NoteOmission, items: Array<{ item: NoteItem; facts: ClinicalFact[] }>, kept: Set<string | undefined>): boolean {
  if (omission.itemId) {
    const kept = items.find(({ item }) => item.id === omission.itemId);
    if (!kept || kept.item.origin === 'clinician') return false;
  }
  const fact = readItemFacts(omission.fact).facts.find((f) => f.kind === omission.kind);
  return !fact || !items.some(({ item, facts }) => !kept.has(item.id) && facts.some((own) => statesFact(own, fact)));
}

/** The note carrying its flags and omissions, so whoever stores or exports it has them; none, no `review`. */
function withReview(note: ClinicalNote, flags: GroundingFlag[], omissions: NoteOmission[]): ClinicalNote {
  const { review: _, ...rest } = note;
  return flags.length || omissions.length ? { ...rest, review: { flags, omissions: [...omissions] } } : rest;
}

/** A model that repeats the marker standing in for a withheld instruction has said nothing: that statement goes. */
function withoutWithheldMarkers(update: Map<string, NoteItem[]>): Map<string, NoteItem[]> {
  return new Map([...update].map(([section, items]) => [section, items.filter((item) => !item.text.includes(WITHHELD_INSTRUCTION))]));
}

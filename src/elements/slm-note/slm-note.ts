import { ContextConsumer } from '@lit/context';
import type { PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TranscriptStore } from '../../audio/transcript-store.js';
import { engineContext } from '../../context.js';
import type { SlmEngine } from '../../engine/slm-engine.js';
import '../../events.js';
import { sessionContext } from '../../session/session-context.js';
import type { VisitSession } from '../../session/visit-session.js';
import { SlmElement } from '../internal/slm-element.js';
import { renderOnEngineChange } from '../internal/engine-watch.js';
import { NoteBuilder, type NoteStatus } from '../../note/note-builder.js';
import { noteToPlainText, type FhirExportOptions } from '../../note/note-export.js';
import type { ClinicalNote, GroundingFlag, NoteChangeDetail, NoteExportDetail, NoteExportFormat, NoteItem, NoteOmission, NoteTemplate } from '../../note/note-types.js';
import { SOAP_TEMPLATE, resolveTemplate } from '../../note/templates.js';
import { downloadText, printHtml } from './internal/deliver.js';
import { EXTENSION, MIME, NOTE_ALONE, serialiseNote } from './internal/note-exports.js';
import { reportFormState } from './internal/note-form.js';
import { NoteSessionLink } from './internal/note-session-link.js';
import { renderNote } from './internal/note-view.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import { noteStyles } from './slm-note.styles.js';

/**
 * A structured clinical note that builds itself from the visit's transcript: an instant
 * rule-based draft the moment a sentence is final, refined by the provider's language model
 * as the dictation goes on. Every item can be edited; an edited or locked item is the
 * clinician's and model updates never replace it. Numbers, doses, units and drug names the
 * transcript does not contain are flagged; a dictated fact a model update would drop or change
 * stays in the note, listed as an omission. Inside a `<form>` the note's text is the field's value.
 * When the language models run on a server (`llm-endpoint` on the provider), a notice names the
 * host the transcript is sent to for model updates.
 *
 * @summary A clinical note (SOAP or a custom template) that writes itself from the dictation.
 *
 * @fires slm-note-change - The note changed: draft, model update, edit, lock (`NoteChangeDetail`: note, cause, changed ids, grounding flags, warnings, omissions).
 * @fires slm-note-export - The note was exported, copied or printed (`NoteExportDetail`).
 * @fires slm-error - A model update failed or the template is invalid. The draft and every edit are kept.
 *
 * @csspart header - Title, status and actions.
 * @csspart title - The note's title.
 * @csspart status - Up to date, draft, or updating.
 * @csspart actions - Copy, print and export controls.
 * @csspart copy-button - Copies the note as plain text.
 * @csspart print-button - Prints the note.
 * @csspart export-menu - Downloads the note as Markdown, text or FHIR.
 * @csspart remote-notice - Says that the transcript leaves the device for model updates, and for which host.
 * @csspart warning - What the last model update had to leave out or repair, or why it failed.
 * @csspart omissions - The dictated facts a model update dropped or changed, whose statements were kept.
 * @csspart omission - One of them.
 * @csspart section - One section of the template.
 * @csspart section-title - A section's heading.
 * @csspart items - The list of a section's items.
 * @csspart item - One statement; `data-origin` is `draft`, `model` or `clinician`.
 * @csspart flagged - An item with a term the transcript does not contain.
 * @csspart locked - An item model updates never replace.
 * @csspart pending - A statement of a model update still streaming in.
 * @csspart item-text - The editable text of an item.
 * @csspart lock-button - Locks or unlocks an item.
 * @csspart remove-button - Removes an item.
 * @csspart origin - Who wrote the item last.
 * @csspart flag - Lists the terms of an item that were never said.
 * @csspart instruction - Marks a dictated sentence addressed to the note-taker or the model ("write that…", "ignore the above"): kept as said, never applied. Its item has `data-instruction`.
 * @csspart add-button - Adds a statement to a section.
 * @csspart empty - Shown in a section with nothing in it yet.
 *
 * @cssprop [--slm-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--slm-color-text=#1f2328] - Text colour.
 * @cssprop [--slm-color-accent=#0b6bcb] - Section titles, focus rings, edited items.
 * @cssprop [--slm-color-flag=#b35900] - Flagged items and warnings.
 * @cssprop [--slm-color-muted=#59636e] - Status and secondary text.
 * @cssprop [--slm-color-surface=#f6f8fa] - Item background.
 * @cssprop [--slm-radius=6px] - Corner radius.
 */
@customElement('slm-note')
export class SlmNote extends SlmElement {
  static override styles = [themeStyles, controlStyles, noteStyles];
  static formAssociated = true;

  /**
   * `soap` (default), `history-physical`, `progress`, or a custom template: as a JSON string
   * in the attribute, or as an object through the property.
   */
  @property() template: string | NoteTemplate = 'soap';

  /** `auto`: the provider's language model refines the draft; `off`: the rule-based draft only. */
  @property() refine: 'auto' | 'off' = 'auto';

  /** Milliseconds of quiet after a final segment before the model is asked. */
  @property({ type: Number }) debounce = 1500;

  /** The form field's name. */
  @property({ reflect: true }) name = '';

  /** A form with a required note cannot be submitted while the note is empty. */
  @property({ type: Boolean, reflect: true }) required = false;

  /** Read-only: nothing can be edited, locked, removed or added. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** A transcript to follow outside an `<slm-provider>` (inside one, the provider's is used). */
  @property({ attribute: false }) transcript: TranscriptStore | null = null;

  @state() private noteState: ClinicalNote;
  @state() private flags: GroundingFlag[] = [];
  @state() private warnings: string[] = [];
  @state() private omissionList: NoteOmission[] = [];
  @state() private preview: Map<string, NoteItem[]> | null = null;
  @state() private status: NoteStatus = 'idle';

  private readonly internals = this.attachInternals();
  private readonly builder: NoteBuilder;
  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true, callback: () => this.follow() });
  private unwatchEngine: (() => void) | null = null;
  private readonly sessionConsumer = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: () => this.follow() });
  private readonly sessionLink: NoteSessionLink;
  private resolvedTemplate: NoteTemplate = SOAP_TEMPLATE;

  constructor() {
    super();
    this.builder = new NoteBuilder({
      template: SOAP_TEMPLATE,
      onChange: (detail) => this.onChange(detail),
      onPreview: (preview) => (this.preview = preview),
      onStatus: (status) => (this.status = status),
      cacheKey: () => this.session?.id,
      onError: (error) => {
        // Shown in the note as well as dispatched: the clinician must see that the draft is
        // what they are reading.
        this.warnings = [/kept\.$/.test(error.message) ? error.message : `${error.message} The draft and your edits are kept.`];
        this.fail(error);
      },
    });
    this.noteState = this.builder.current;
    this.sessionLink = new NoteSessionLink(this, this.builder, () => this.noteState);
  }

  /** The engine of the enclosing provider. */
  get engine(): SlmEngine | undefined {
    return this.engineConsumer.value;
  }

  /** The visit session whose note this is (the provider's, or the nearest `<slm-session>`'s). */
  get session(): VisitSession | undefined {
    return this.sessionConsumer.value;
  }

  /** The note as it stands. Setting it restores a saved note (and its edits) exactly. */
  get note(): ClinicalNote {
    return this.noteState;
  }

  set note(note: ClinicalNote) {
    this.builder.restore(structuredClone(note));
  }

  /** Terms in the note the transcript does not contain. */
  get groundingFlags(): GroundingFlag[] {
    return this.flags;
  }

  /** Dictated facts a model update dropped or changed; the statements that carry them were kept. */
  get omissions(): NoteOmission[] {
    return this.omissionList;
  }

  /** The note as plain text: the form value. */
  get value(): string {
    return noteToPlainText(this.noteState, NOTE_ALONE);
  }

  /** The `<form>` the note belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** Whether a model update is waiting or running. */
  get updating(): boolean {
    return this.status !== 'idle';
  }

  /** The note in a format, as a string; fires `slm-note-export`. */
  exportAs(format: NoteExportFormat, options: FhirExportOptions = {}): string {
    return this.deliver(format, 'call', options);
  }

  /** Copies the note to the clipboard (plain text unless another format is named). */
  async copy(format: NoteExportFormat = 'text'): Promise<void> {
    const content = this.serialise(format);
    await navigator.clipboard.writeText(content);
    this.announceExport(format, 'clipboard', content);
  }

  /** Opens the browser's print dialog with the note alone. */
  async print(): Promise<void> {
    const content = this.serialise('html');
    this.announceExport('html', 'print', content);
    await printHtml(content, this.noteState.title);
  }

  /** Saves the note as a file: `note.md`, `note.txt` or `note.fhir.json`. */
  download(format: NoteExportFormat, options: FhirExportOptions = {}): void {
    const content = this.deliver(format, 'download', options);
    downloadText(content, `note.${EXTENSION[format]}`, MIME[format]);
  }

  /** Asks the model now, without waiting for a pause; resolves when the update is merged. */
  refineNow(): Promise<void> {
    return this.builder.refineNow();
  }

  /** Starts the note over from the transcript (edits are dropped). */
  reset(): void {
    this.builder.reset();
  }

  /** Replaces an item's text as the clinician would: it becomes theirs, and locked. */
  editItem(itemId: string, text: string): void {
    this.builder.edit(itemId, text);
  }

  /** Locks (or unlocks) an item: model updates never replace a locked item. */
  lockItem(itemId: string, locked = true): void {
    this.builder.lock(itemId, locked);
  }

  /** Removes an item; the model will not bring it back. */
  removeItem(itemId: string): void {
    this.builder.remove(itemId);
  }

  /** Adds the clinician's own statement to a section. */
  addItem(sectionId: string, text: string): NoteItem {
    return this.builder.add(sectionId, text);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.builder.detach();
    this.sessionLink.follow(null);
    this.watchEngine(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('template')) {
      try {
        this.resolvedTemplate = resolveTemplate(this.template);
        this.builder.configure({ template: this.resolvedTemplate });
      } catch (error) {
        // The note keeps its current template rather than falling apart.
        this.fail(error);
      }
    }
    if (changed.has('refine') || changed.has('debounce')) this.builder.configure({ refine: this.refine, debounceMs: this.debounce });
    if (changed.has('transcript')) this.follow();
  }

  formResetCallback(): void {
    this.builder.reset();
  }

  formStateRestoreCallback(state: string | null): void {
    if (!state) return;
    try {
      this.builder.restore(JSON.parse(state) as ClinicalNote);
    } catch {
      // A state from an older page version: the note is rebuilt from the transcript instead.
    }
  }

  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  override render() {
    return renderNote({
      note: this.noteState,
      flags: this.flags,
      warnings: this.warnings,
      omissions: this.omissionList,
      preview: this.preview,
      status: this.status,
      remoteHost: this.engine?.remoteHost ?? null,
      disabled: this.disabled,
      label: this.getAttribute('aria-label'),
      onCopy: () => void this.copy().catch((e: unknown) => this.fail(e)),
      onPrint: () => void this.print(),
      onDownload: (format) => this.download(format),
      onAdd: (sectionId) => void this.onAdd(sectionId),
      onEdit: (itemId, text) => this.builder.edit(itemId, text),
      onLock: (itemId, locked) => this.builder.lock(itemId, locked),
      onRemove: (itemId) => this.builder.remove(itemId),
      highlight: (ids) => this.highlight(ids),
    });
  }

  private follow(): void {
    if (!this.isConnected) return;
    const session = this.session ?? null;
    this.builder.attach(session?.transcript ?? this.transcript, this.engine ?? null);
    this.sessionLink.follow(session);
    this.watchEngine(this.engine);
  }

  /** The remote notice follows the engine's configuration (`llm-endpoint` set or removed later). */
  private watchEngine(engine: SlmEngine | undefined): void {
    this.unwatchEngine?.();
    this.unwatchEngine = renderOnEngineChange(this, engine);
  }

  private highlight(ids: string[]): void {
    (this.session?.transcript ?? this.transcript)?.highlight(ids);
  }

  private onChange(detail: NoteChangeDetail): void {
    this.noteState = detail.note;
    this.flags = detail.flags;
    this.omissionList = detail.omissions;
    if (detail.cause === 'model' || detail.cause === 'reset' || detail.cause === 'template') this.warnings = detail.warnings;
    reportFormState(this.internals, detail.note, this.required);
    this.sessionLink.report(detail, this.session);
    this.emit('slm-note-change', detail);
  }

  private async onAdd(sectionId: string): Promise<void> {
    const item = this.builder.add(sectionId, '');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>(`[data-item-id="${CSS.escape(item.id)}"] textarea`)?.focus();
  }

  private serialise(format: NoteExportFormat, options: FhirExportOptions = {}): string {
    return serialiseNote(this.noteState, format, { flags: this.flags, omissions: this.omissions }, this.resolvedTemplate, options);
  }

  private deliver(format: NoteExportFormat, via: NoteExportDetail['via'], options: FhirExportOptions): string {
    const content = this.serialise(format, options);
    this.announceExport(format, via, content);
    return content;
  }

  private announceExport(format: NoteExportFormat, via: NoteExportDetail['via'], content: string): void {
    this.emit('slm-note-export', { format, via, mimeType: MIME[format], content });
  }

  private fail(error: unknown): void {
    this.reportError(error, { code: 'generation-failed', kind: 'llm' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-note': SlmNote;
  }
  interface HTMLElementEventMap {
    'slm-note-change': CustomEvent<NoteChangeDetail>;
    'slm-note-export': CustomEvent<NoteExportDetail>;
  }
}

import { html, nothing, svg } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { NoteStatus } from '../../../note/note-builder.js';
import type { ClinicalNote, GroundingFlag, NoteExportFormat, NoteItem, NoteOmission } from '../../../note/note-types.js';

/** What `<slm-note>` shows, and what its controls call back. */
export interface NoteView {
  note: ClinicalNote;
  flags: GroundingFlag[];
  warnings: string[];
  omissions: NoteOmission[];
  /** Statements of a model update still streaming in, by section id. */
  preview: Map<string, NoteItem[]> | null;
  status: NoteStatus;
  /** The server the transcript is sent to for model updates; null when they run on this device. */
  remoteHost: string | null;
  disabled: boolean;
  /** The element's own `aria-label`: it names each section's region. */
  label: string | null;
  onCopy: () => void;
  onPrint: () => void;
  onDownload: (format: NoteExportFormat) => void;
  onAdd: (sectionId: string) => void;
  onEdit: (itemId: string, text: string) => void;
  onLock: (itemId: string, locked: boolean) => void;
  onRemove: (itemId: string) => void;
  /** Shows which transcript segments an item came from; an empty list shows none. */
  highlight: (segmentIds: string[]) => void;
}

const STATUS_TEXT: Record<NoteStatus, string> = { idle: 'Up to date', waiting: 'Draft', updating: 'Updating…' };
// Drawn, not emoji: clinic machines often lack an emoji font.
const LOCK_ICON = (locked: boolean) =>
  html`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6">
    <rect x="3" y="7" width="10" height="7" rx="1.5" />
    ${locked ? svg`<path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />` : svg`<path d="M5.5 7V5a2.5 2.5 0 0 1 4.9-.7" />`}
  </svg>`;
const ORIGIN_TEXT: Record<NoteItem['origin'], string> = { draft: 'draft', model: 'AI', clinician: 'edited' };
const OMISSION_TEXT = (o: NoteOmission) =>
  `${o.itemId ? 'Kept from the dictation' : 'Not in the note'}: ${o.fact} (${o.change === 'changed' ? `the model's update changed it: “${o.replacement}”` : "the model's update left it out"})`;

/** The note: header with status and actions, notices, then each section's items. */
export function renderNote(view: NoteView) {
  const { note } = view;
  const onExportPicked = (event: Event) => {
    const select = event.target as HTMLSelectElement;
    const format = select.value as NoteExportFormat | '';
    // The menu is an action, not a setting: it shows "Export…" again.
    select.value = '';
    if (format) view.onDownload(format);
  };
  const flagsByItem = new Map<string, GroundingFlag[]>();
  for (const flag of view.flags) flagsByItem.set(flag.itemId, [...(flagsByItem.get(flag.itemId) ?? []), flag]);
  return html`
    <div part="header">
      <h2 part="title" id="title">${note.title}</h2>
      <span part="status" role="status" data-status=${view.status}>${STATUS_TEXT[view.status]}</span>
      <div part="actions">
        <button part="copy-button" @click=${view.onCopy}>Copy</button>
        <button part="print-button" @click=${view.onPrint}>Print</button>
        <select part="export-menu" aria-label="Export note" @change=${onExportPicked}>
          <option value="">Export…</option>
          <option value="markdown">Markdown (.md)</option>
          <option value="text">Plain text (.txt)</option>
          <option value="fhir">FHIR R4 (.json)</option>
        </select>
      </div>
    </div>
    ${view.remoteHost
      ? html`<p part="remote-notice" role="note">Model updates come from the server <strong>${view.remoteHost}</strong>: this visit's transcript is sent there.</p>`
      : nothing}
    ${view.warnings.length ? html`<p part="warning" role="status">${view.warnings.join(' ')}</p>` : nothing}
    ${view.omissions.length
      ? html`<ul part="omissions" role="status">
          ${view.omissions.map((o) => html`<li part="omission" data-item-id=${o.itemId ?? nothing}>${OMISSION_TEXT(o)}</li>`)}
        </ul>`
      : nothing}
    ${note.sections.map((section) => {
      const items = section.items.filter((i) => !i.deleted);
      const pending = view.preview?.get(section.id) ?? [];
      // Two notes on a page (two patients) would have two "Subjective" regions: the note's own
      // label, when it has one, tells them apart.
      const named = view.label;
      return html`<section part="section" aria-labelledby=${named ? nothing : `section-${section.id}`} aria-label=${named ? `${named}: ${section.title}` : nothing} data-section=${section.id}>
        <h3 part="section-title" id="section-${section.id}">${section.title}</h3>
        <ul part="items" aria-labelledby="section-${section.id}" aria-busy=${pending.length ? 'true' : 'false'}>
          ${repeat(items, (item) => item.id, (item, index) => renderItem(view, section.title, item, index, flagsByItem.get(item.id)))}
          ${pending.map((item) => html`<li part="item pending" data-pending aria-hidden="true">${item.text}</li>`)}
        </ul>
        ${items.length || pending.length ? nothing : html`<p part="empty">Nothing yet.</p>`}
        <button part="add-button" ?disabled=${view.disabled} @click=${() => view.onAdd(section.id)}>+ Add to ${section.title}</button>
      </section>`;
    })}
  `;
}

function renderItem(view: NoteView, sectionTitle: string, item: NoteItem, index: number, flags: GroundingFlag[] | undefined) {
  const parts = ['item', flags ? 'flagged' : '', item.locked ? 'locked' : ''].filter(Boolean).join(' ');
  const flagId = `flag-${item.id}`;
  const instructionId = `instruction-${item.id}`;
  const describedBy = [flags ? flagId : '', item.instruction ? instructionId : ''].filter(Boolean).join(' ');
  return html`<li
    part=${parts}
    data-item-id=${item.id}
    data-origin=${item.origin}
    ?data-flagged=${!!flags}
    ?data-locked=${item.locked}
    ?data-instruction=${!!item.instruction}
    @mouseenter=${() => view.highlight(item.sources)}
    @mouseleave=${() => view.highlight([])}
    @focusin=${() => view.highlight(item.sources)}
    @focusout=${() => view.highlight([])}
  >
    <textarea
      part="item-text"
      rows="1"
      aria-label="${sectionTitle}, item ${index + 1}"
      aria-describedby=${describedBy || nothing}
      ?disabled=${view.disabled}
      .value=${live(item.text)}
      @input=${(e: InputEvent) => view.onEdit(item.id, (e.target as HTMLTextAreaElement).value)}
    ></textarea>
    <button part="lock-button" aria-pressed=${item.locked ? 'true' : 'false'} aria-label="Lock ${sectionTitle} item ${index + 1}" title=${item.locked ? 'Locked: model updates leave it alone' : 'Lock'} ?disabled=${view.disabled} @click=${() => view.onLock(item.id, !item.locked)}>
      ${LOCK_ICON(item.locked)}
    </button>
    <button part="remove-button" aria-label="Remove ${sectionTitle} item ${index + 1}" ?disabled=${view.disabled} @click=${() => view.onRemove(item.id)}>✕</button>
    <span part="origin" class="visually-hidden">${ORIGIN_TEXT[item.origin]}</span>
    ${item.instruction ? html`<p part="instruction" id=${instructionId}>Dictated instruction — not applied</p>` : nothing}
    ${flags ? html`<p part="flag" id=${flagId}>Not in the transcript: ${flags.map((f) => f.term).join(', ')}</p>` : nothing}
  </li>`;
}

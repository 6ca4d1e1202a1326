import { html, nothing } from 'lit';
import type { VisitSummary } from '../../../visits/visit-types.js';
import { segmentCountLabel, type SegmentCount } from './segment-count.js';

/** What `<slm-visits>` shows, and what its controls call back. */
export interface VisitsView {
  visits: VisitSummary[];
  /** The visit being recorded, once stored. */
  currentId: string | null;
  /** The open visit's segments as the session holds them: its row shows these, not the last listing. */
  openSegments: SegmentCount;
  unsaved: number;
  failed: number;
  /** Why the open visit is read-only here (another tab records it); null when it is not. */
  readOnlyReason: string | null;
  error: string;
  persisted: boolean | null;
  /** The store has a passphrase: it can be changed. */
  hasPassphrase: boolean;
  onNew: () => void;
  onRetry: () => void;
  onOpen: (id: string) => void;
  onDelete: (id: string) => void;
  onExport: () => void;
  onErase: () => void;
  /** Resolves to whether the passphrase was changed (the form is then cleared and closed). */
  onRekey: (current: string, next: string, repeat: string) => Promise<boolean>;
}

/** The passphrase form of a locked store. */
export function renderUnlock(error: string, onUnlock: (passphrase: string) => void) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const passphrase = String(new FormData(event.target as HTMLFormElement).get('passphrase') ?? '');
    if (passphrase) onUnlock(passphrase);
  };
  return html`<form part="unlock" @submit=${submit}>
    <label>Passphrase for the stored visits <input type="password" name="passphrase" autocomplete="current-password" required /></label>
    <button type="submit">Unlock</button>
    ${error ? html`<p part="error" role="alert">${error}</p>` : nothing}
  </form>`;
}

/** The list of stored visits, with whether everything is saved, and export, erase and change passphrase. */
export function renderVisits(view: VisitsView) {
  const { visits, currentId } = view;
  return html`
    <div part="header">
      <h2>Visits</h2>
      <button part="new-button" @click=${view.onNew}>New visit</button>
    </div>
    <p part="save-state" role="status" data-state=${view.failed ? 'failed' : view.unsaved ? 'saving' : 'saved'}>
      ${view.failed
        ? html`${view.failed} change${view.failed === 1 ? ' is' : 's are'} not saved yet (kept on this page). <button part="retry-button" @click=${view.onRetry}>Retry</button>`
        : view.unsaved
          ? 'Saving…'
          : 'All changes saved on this device.'}
    </p>
    ${view.readOnlyReason !== null
      ? html`<div part="read-only" role="alert">
          <p>${view.readOnlyReason}</p>
          <button @click=${view.onNew}>Start a new visit here</button>
        </div>`
      : nothing}
    ${view.error ? html`<p part="error" role="alert">${view.error}</p>` : nothing}
    ${visits.length
      ? html`<ul part="list" aria-label="Stored visits">
          ${visits.map(
            (v) => html`<li part="visit" aria-current=${v.id === currentId ? 'true' : 'false'}>
              <span part="visit-title">${v.title || 'Untitled visit'}<small>${new Date(v.updatedAt).toLocaleString()} · ${segmentCountLabel(v.id === currentId ? view.openSegments : { spoken: v.segmentCount, gaps: v.gapCount ?? 0 })}</small></span>
              <button part="open-button" aria-label="Open ${v.title || 'visit'}" ?disabled=${v.id === currentId} @click=${() => view.onOpen(v.id)}>Open</button>
              <button part="delete-button" aria-label="Delete ${v.title || 'visit'}" @click=${() => confirmed('Delete this visit for good?') && view.onDelete(v.id)}>Delete</button>
            </li>`,
          )}
        </ul>`
      : html`<p part="empty">No stored visits yet. What you dictate is kept here, encrypted on this device.</p>`}
    <div part="footer">
      <button part="export-button" ?disabled=${!visits.length} @click=${view.onExport}>Export all</button>
      <button part="erase-button" ?disabled=${!visits.length} @click=${() => confirmed('Erase every stored visit? This cannot be undone.') && view.onErase()}>Erase all</button>
      <p part="status">${view.persisted ? 'Storage is persistent.' : 'The browser may clear this storage when space runs low.'}</p>
    </div>
    ${view.hasPassphrase ? renderRekey(view.onRekey) : nothing}
  `;
}

function renderRekey(onRekey: VisitsView['onRekey']) {
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const [current, next, repeat] = ['current', 'next', 'repeat'].map((name) => String(data.get(name) ?? ''));
    // When it failed, the form keeps what was typed so it can be corrected.
    if (!(await onRekey(current, next, repeat))) return;
    form.reset();
    (form.parentElement as HTMLDetailsElement).open = false;
  };
  return html`<details part="rekey">
    <summary>Change passphrase</summary>
    <form @submit=${submit}>
      <label>Current passphrase <input type="password" name="current" autocomplete="current-password" required /></label>
      <label>New passphrase <input type="password" name="next" autocomplete="new-password" required /></label>
      <label>New passphrase again <input type="password" name="repeat" autocomplete="new-password" required /></label>
      <button type="submit">Change passphrase</button>
    </form>
  </details>`;
}

/** Asks before something that cannot be undone; a page without `confirm` (a test, an embedded view) goes ahead. */
function confirmed(question: string): boolean {
  return typeof confirm !== 'function' || confirm(question);
}

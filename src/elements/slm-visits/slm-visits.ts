import { ContextConsumer } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { engineContext } from '../../context.js';
import type { SlmEngine } from '../../engine/slm-engine.js';
import { SlmError } from '../../errors/slm-error.js';
import '../../events.js';
import type { VisitStore } from '../../visits/visit-store.js';
import type { VisitSummary } from '../../visits/visit-types.js';
import { VisitRecorder, type RecordedChat, type RecordedNote } from './internal/visit-recorder.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import { visitsStyles } from './slm-visits.styles.js';

export interface VisitChangeDetail {
  action: 'open' | 'new' | 'delete' | 'erase' | 'created';
  visitId: string | null;
}

/**
 * Keeps the visits of this browser: the transcript, every version of the note (with the
 * clinician's edits) and the chat of the enclosing `<slm-provider>` are written to IndexedDB
 * as they happen, encrypted at rest, and the last visit comes back after a reload. Lists
 * visits to open or delete, exports them all, erases them all.
 *
 * @summary Visits that survive a reload, encrypted on this device.
 *
 * @fires slm-visit-change - A visit was opened, started, created, deleted, or all were erased (`VisitChangeDetail`).
 * @fires slm-error - Storage failed (`storage-quota`, `storage-wrong-passphrase`, `storage-corrupt`, …). Nothing in memory is lost.
 *
 * @csspart header - Title and the new-visit button.
 * @csspart new-button - Starts a new visit.
 * @csspart list - The visits.
 * @csspart visit - One visit; `aria-current` marks the open one.
 * @csspart visit-title - Its title, time and size.
 * @csspart open-button - Opens a visit.
 * @csspart delete-button - Deletes a visit.
 * @csspart footer - Export and erase.
 * @csspart export-button - Downloads every visit as JSON.
 * @csspart erase-button - Deletes every visit and the key.
 * @csspart status - Whether storage is persistent.
 * @csspart error - Why storage failed.
 * @csspart unlock - The passphrase form, when the store needs one.
 *
 * @cssprop [--slm-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--slm-color-text=#1f2328] - Text colour.
 * @cssprop [--slm-color-accent=#0b6bcb] - The open visit, focus rings.
 * @cssprop [--slm-color-danger=#c62828] - Errors.
 * @cssprop [--slm-color-muted=#59636e] - Secondary text.
 * @cssprop [--slm-color-surface=#f6f8fa] - Visit rows.
 * @cssprop [--slm-radius=6px] - Corner radius.
 */
@customElement('slm-visits')
export class SlmVisits extends LitElement {
  static override styles = [themeStyles, controlStyles, visitsStyles];

  /** IndexedDB database name. */
  @property({ attribute: 'db-name' }) dbName = 'slm-visits';

  /** Visits not touched for this many days are deleted; empty keeps them. */
  @property({ type: Number, attribute: 'retention-days' }) retentionDays: number | null = null;

  /** Opens the most recent visit when the page loads (after a reload, the work comes back). */
  @property({ type: Boolean, attribute: 'no-resume' }) noResume = false;

  /** Ask for a passphrase: the key is derived from it and never stored. */
  @property({ type: Boolean, attribute: 'require-passphrase' }) requirePassphrase = false;

  @state() private visits: VisitSummary[] = [];
  @state() private currentId: string | null = null;
  @state() private error = '';
  @state() private locked = false;

  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true, callback: () => void this.start() });
  private store: VisitStore | null = null;
  private recorder: VisitRecorder | null = null;
  private starting: Promise<void> | null = null;
  private passphrase: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  get engine(): SlmEngine | undefined {
    return this.engineConsumer.value;
  }

  /** The open store, once ready. */
  get visitStore(): VisitStore | null {
    return this.store;
  }

  /** The id of the visit being recorded; null before anything was said in a new one. */
  get currentVisitId(): string | null {
    return this.currentId;
  }

  /** Resolves once the store is open and the last visit (if any) restored. */
  get ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  /** Unlocks a store kept with a passphrase. */
  async unlock(passphrase: string): Promise<void> {
    this.passphrase = passphrase;
    this.starting = null;
    await this.start();
  }

  /** Puts a stored visit back on the page: transcript, latest note, chat. */
  async open(id: string): Promise<void> {
    if (!this.store || !this.recorder) return;
    try {
      const visit = await this.store.get(id);
      if (!visit) throw new SlmError('invalid-argument', 'That visit no longer exists.');
      await this.recorder.restore(visit, this.find<RecordedNote>('slm-note'), this.find<RecordedChat>('slm-chat'));
      this.currentId = id;
      this.announce('open', id);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Empties the page for a new visit; it is stored once something is said or written. */
  async newVisit(): Promise<void> {
    await this.recorder?.flush();
    this.recorder?.detach();
    this.engine?.transcript.clear();
    (this.find('slm-note') as { reset?: () => void } | null)?.reset?.();
    const chat = this.find<RecordedChat>('slm-chat');
    if (chat) chat.messages = [];
    this.currentId = null;
    this.announce('new', null);
  }

  /** Deletes a stored visit for good. */
  async delete(id: string): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.delete(id);
      if (id === this.currentId) await this.newVisit();
      this.announce('delete', id);
      await this.refresh();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Every visit, decrypted, as one JSON file the clinician keeps. */
  async exportAll(download = true): Promise<string> {
    if (!this.store) return '';
    await this.recorder?.flush();
    const json = JSON.stringify(await this.store.exportAll(), null, 2);
    if (download) {
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      Object.assign(document.createElement('a'), { href: url, download: `visits-${new Date().toISOString().slice(0, 10)}.json` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
    return json;
  }

  /** Deletes every stored visit and the encryption key, and starts a new visit. */
  async eraseAll(): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.eraseAll();
      await this.newVisit();
      this.announce('erase', null);
      await this.refresh();
    } catch (error) {
      this.fail(error);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.recorder?.dispose();
    this.recorder = null;
    this.store?.close();
    this.store = null;
    this.starting = null;
  }

  override render() {
    if (this.locked) {
      return html`<form part="unlock" @submit=${this.onUnlock}>
        <label>Passphrase for the stored visits <input type="password" name="passphrase" autocomplete="current-password" required /></label>
        <button type="submit">Unlock</button>
        ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
      </form>`;
    }
    return html`
      <div part="header">
        <h2>Visits</h2>
        <button part="new-button" @click=${() => void this.newVisit()}>New visit</button>
      </div>
      ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
      ${this.visits.length
        ? html`<ul part="list" aria-label="Stored visits">
            ${this.visits.map(
              (v) => html`<li part="visit" aria-current=${v.id === this.currentId ? 'true' : 'false'}>
                <span part="visit-title">${v.title || 'Untitled visit'}<small>${new Date(v.updatedAt).toLocaleString()} · ${v.segmentCount} segment${v.segmentCount === 1 ? '' : 's'}</small></span>
                <button part="open-button" aria-label="Open ${v.title || 'visit'}" ?disabled=${v.id === this.currentId} @click=${() => void this.open(v.id)}>Open</button>
                <button part="delete-button" aria-label="Delete ${v.title || 'visit'}" @click=${() => this.confirmed('Delete this visit for good?') && void this.delete(v.id)}>Delete</button>
              </li>`,
            )}
          </ul>`
        : html`<p part="empty">No stored visits yet. What you dictate is kept here, encrypted on this device.</p>`}
      <div part="footer">
        <button part="export-button" ?disabled=${!this.visits.length} @click=${() => void this.exportAll()}>Export all</button>
        <button part="erase-button" ?disabled=${!this.visits.length} @click=${() => this.confirmed('Erase every stored visit? This cannot be undone.') && void this.eraseAll()}>Erase all</button>
        <p part="status">${this.store?.persisted ? 'Storage is persistent.' : 'The browser may clear this storage when space runs low.'}</p>
      </div>
    `;
  }

  private start(): Promise<void> {
    this.starting ??= this.openStore();
    return this.starting;
  }

  private async openStore(): Promise<void> {
    const engine = this.engine;
    if (!engine || this.store) return;
    if (this.requirePassphrase && !this.passphrase) {
      this.locked = true;
      return;
    }
    try {
      const { VisitStore } = await import('../../visits/visit-store.js');
      this.store = await VisitStore.open({ name: this.dbName, passphrase: this.passphrase, retentionDays: this.retentionDays ?? undefined, onError: (error) => this.fail(error) });
      this.locked = false;
      this.error = '';
      this.recorder = new VisitRecorder(this.store, engine.transcript, this.closest('slm-provider') ?? this, {
        onError: (error) => this.fail(error),
        onVisit: (visit) => {
          this.currentId = visit.id;
          this.announce('created', visit.id);
          void this.refresh();
        },
        onWrite: () => {
          // A dictation writes often; the list needs redrawing about once a second at most.
          clearTimeout(this.refreshTimer);
          this.refreshTimer = setTimeout(() => void this.refresh(), 600);
        },
      });
      await this.refresh();
      const latest = this.visits[0];
      if (latest && !this.noResume) await this.open(latest.id);
    } catch (error) {
      if (error instanceof SlmError && error.code === 'storage-wrong-passphrase') this.locked = true;
      this.fail(error);
    }
  }

  private async refresh(): Promise<void> {
    try {
      if (this.store) this.visits = await this.store.list();
    } catch (error) {
      this.fail(error);
    }
  }

  private find<T>(tag: string): T | null {
    return ((this.closest('slm-provider') ?? document).querySelector(tag) as T | null) ?? null;
  }

  private confirmed(question: string): boolean {
    return typeof confirm !== 'function' || confirm(question);
  }

  private announce(action: VisitChangeDetail['action'], visitId: string | null): void {
    this.dispatchEvent(new CustomEvent<VisitChangeDetail>('slm-visit-change', { detail: { action, visitId }, bubbles: true, composed: true }));
  }

  private fail(error: unknown): void {
    const slm = error instanceof SlmError ? error : new SlmError('storage-failed', String(error), { cause: error });
    this.error = slm.code === 'storage-quota' ? `${slm.message} Nothing on this page was lost; free some space or export and erase old visits.` : slm.message;
    this.dispatchEvent(new CustomEvent('slm-error', { detail: { error: slm, code: slm.code, message: slm.message }, bubbles: true, composed: true }));
  }

  private readonly onUnlock = (event: SubmitEvent) => {
    event.preventDefault();
    const passphrase = String(new FormData(event.target as HTMLFormElement).get('passphrase') ?? '');
    if (passphrase) void this.unlock(passphrase);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-visits': SlmVisits;
  }
  interface HTMLElementEventMap {
    'slm-visit-change': CustomEvent<VisitChangeDetail>;
  }
}

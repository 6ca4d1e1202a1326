import { ContextConsumer } from '@lit/context';
import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SlmError } from '../../errors/slm-error.js';
import { engineContext } from '../../context.js';
import { sessionContext } from '../../session/session-context.js';
import type { VisitSession } from '../../session/visit-session.js';
import type { SessionRecorder } from '../../visits/session-recorder.js';
import type { VisitChannelMessage } from '../../visits/visit-channel.js';
import type { VisitStore } from '../../visits/visit-store.js';
import type { VisitSummary } from '../../visits/visit-types.js';
import { SlmElement } from '../internal/slm-element.js';
import { VisitKeeper } from '../../visits/visit-keeper.js';
import { ModelMemoryKeeper } from './model-memory-keeper.js';
import { countSegments, segmentCountLabel, type SegmentCount } from './internal/segment-count.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import { visitsStyles } from './slm-visits.styles.js';

export interface VisitChangeDetail {
  action: 'open' | 'new' | 'delete' | 'erase' | 'created';
  visitId: string | null;
}

/**
 * Keeps the visits of this browser. It stores the visit session of the enclosing
 * `<slm-provider>` (or `<slm-session>`) as it happens, encrypted at rest: each final or
 * corrected sentence, the sentence being spoken (about once a second), every note version
 * with the clinician's edits, and the chat. After a reload the last visit comes back. Lists
 * visits to open or delete, exports them all, erases them all. A write that fails is kept on
 * the page and tried again; until it is stored the element says so and the page asks before
 * it is closed. A visit open in another tab is shown read-only here.
 *
 * @summary Visits that survive a reload, encrypted on this device.
 *
 * @fires slm-visit-change - A visit was opened, started, created, deleted, or all were erased (`VisitChangeDetail`).
 * @fires slm-error - Storage failed (`storage-quota`, `storage-wrong-passphrase`, `storage-corrupt`, `visit-read-only`, …). Unsaved changes stay on the page and are retried.
 *
 * @csspart header - Title and the new-visit button.
 * @csspart new-button - Starts a new visit.
 * @csspart save-state - Whether everything is stored; how many changes are not.
 * @csspart retry-button - Tries the unsaved changes again.
 * @csspart read-only - Says that another tab records this visit, with what to do.
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
 * @csspart unlock - The passphrase form, when the store needs one (also after another tab changed the passphrase).
 * @csspart rekey - Change passphrase: the current one, the new one twice (shown when the store has a passphrase).
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
export class SlmVisits extends SlmElement {
  static override styles = [themeStyles, controlStyles, visitsStyles];

  /** IndexedDB database name. */
  @property({ attribute: 'db-name' }) dbName = 'slm-visits';

  /** Visits not touched for this many days are deleted; empty keeps them. */
  @property({ type: Number, attribute: 'retention-days' }) retentionDays: number | null = null;

  /**
   * Do not reopen the most recent visit when the page loads: the page starts on a new, empty
   * visit instead (the stored ones stay in the list).
   */
  @property({ type: Boolean, attribute: 'no-resume' }) noResume = false;

  /** Ask for a passphrase: the key is derived from it and never stored. */
  @property({ type: Boolean, attribute: 'require-passphrase' }) requirePassphrase = false;

  @state() private visits: VisitSummary[] = [];
  @state() private error = '';
  @state() private locked = false;
  @state() private unsaved = 0;
  @state() private failed = 0;
  /** Segments of the open visit as the session holds them: its row counts these, not the last listing. */
  @state() private openSegments: SegmentCount = { spoken: 0, gaps: 0 };

  private readonly sessionConsumer = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: () => this.restart() });
  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true, callback: () => this.keepModelMemory() });
  private keeper: VisitKeeper | null = null;
  private memory: ModelMemoryKeeper | null = null;
  private starting: Promise<void> | null = null;
  private passphrase: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Listings asked for; only the newest may replace the list. */
  private listings = 0;
  private unwatchTranscript: (() => void) | null = null;

  /** The visit session this element stores. */
  get session(): VisitSession | undefined {
    return this.sessionConsumer.value;
  }

  /** The open store, once ready. */
  get visitStore(): VisitStore | null {
    return this.keeper?.store ?? null;
  }

  /** What stores the session; null until the store is open. */
  get recorder(): SessionRecorder | null {
    return this.keeper?.recorder ?? null;
  }

  /** The id of the visit being recorded, once something of it is stored; null before that. */
  get currentVisitId(): string | null {
    const id = this.session?.id;
    return id && this.keeper?.isStored(id) ? id : null;
  }

  /** Changes not stored yet (failed writes, and writes waiting their turn). */
  get unsavedChanges(): number {
    return this.unsaved;
  }

  /** Resolves once the store is open and the last visit (if any) restored. */
  get ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  /**
   * Unlocks a store kept with a passphrase, or one locked because another tab changed the
   * passphrase (what waited on the page is then stored).
   */
  async unlock(passphrase: string): Promise<void> {
    const keeper = this.keeper;
    if (keeper?.store.locked) {
      try {
        await keeper.unlock(passphrase);
        this.passphrase = passphrase;
        this.locked = false;
        this.error = '';
        await this.refresh();
      } catch (error) {
        this.fail(error);
      }
      return;
    }
    this.passphrase = passphrase;
    this.starting = null;
    await this.start();
  }

  /**
   * Changes the passphrase: every stored record is re-sealed under the new one at once, or,
   * on any failure, none is (the old passphrase still opens everything). Other tabs ask for
   * the new one. Rejects (and reports `slm-error`) with `storage-wrong-passphrase` when
   * `oldPassphrase` is not the current one, `invalid-argument` when the store has no
   * passphrase or the new one is empty.
   */
  async rekey(oldPassphrase: string, newPassphrase: string): Promise<void> {
    const keeper = this.keeper;
    if (!keeper) throw this.fail(new SlmError('not-loaded', 'The visits are not open yet.'));
    try {
      await keeper.rekey(oldPassphrase, newPassphrase);
    } catch (error) {
      throw this.fail(error);
    }
    this.passphrase = newPassphrase;
    this.error = '';
  }

  /** Puts a stored visit back on the page: transcript (the open sentence too), latest note, chat. */
  async open(id: string): Promise<void> {
    // The session's switch announces it (`slm-visit-change` with `open`).
    await this.act((keeper) => keeper.open(id));
  }

  /** Seals the open visit and starts a new one; it is stored once something is said or written. */
  async newVisit(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await session.startNew();
  }

  /** Deletes a stored visit for good (in every tab). */
  async delete(id: string): Promise<void> {
    await this.act(async (keeper) => {
      await keeper.delete(id);
      this.announce('delete', id);
      await this.refresh();
    });
  }

  /** Every visit, decrypted, as one JSON file the clinician keeps. */
  async exportAll(download = true): Promise<string> {
    const keeper = this.keeper;
    if (!keeper) return '';
    await keeper.recorder.flush();
    const json = JSON.stringify(await keeper.store.exportAll(), null, 2);
    if (download) {
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      Object.assign(document.createElement('a'), { href: url, download: `visits-${new Date().toISOString().slice(0, 10)}.json` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
    return json;
  }

  /** Deletes every stored visit and the encryption key (in every tab), and starts a new visit. */
  async eraseAll(): Promise<void> {
    await this.act(async (keeper) => {
      await keeper.eraseAll();
      this.announce('erase', null);
      await this.refresh();
    });
  }

  /** Tries the unsaved changes again now. */
  async retry(): Promise<void> {
    await this.keeper?.recorder.retry();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.onBeforeUnload);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    this.stop();
  }

  override render() {
    if (this.locked) {
      return html`<form part="unlock" @submit=${this.onUnlock}>
        <label>Passphrase for the stored visits <input type="password" name="passphrase" autocomplete="current-password" required /></label>
        <button type="submit">Unlock</button>
        ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
      </form>`;
    }
    const session = this.session;
    const currentId = this.currentVisitId;
    return html`
      <div part="header">
        <h2>Visits</h2>
        <button part="new-button" @click=${() => void this.newVisit()}>New visit</button>
      </div>
      <p part="save-state" role="status" data-state=${this.failed ? 'failed' : this.unsaved ? 'saving' : 'saved'}>
        ${this.failed
          ? html`${this.failed} change${this.failed === 1 ? ' is' : 's are'} not saved yet (kept on this page). <button part="retry-button" @click=${() => void this.retry()}>Retry</button>`
          : this.unsaved
            ? 'Saving…'
            : 'All changes saved on this device.'}
      </p>
      ${session?.readOnly
        ? html`<div part="read-only" role="alert">
            <p>${session.readOnlyReason}</p>
            <button @click=${() => void this.newVisit()}>Start a new visit here</button>
          </div>`
        : nothing}
      ${this.error ? html`<p part="error" role="alert">${this.error}</p>` : nothing}
      ${this.visits.length
        ? html`<ul part="list" aria-label="Stored visits">
            ${this.visits.map(
              (v) => html`<li part="visit" aria-current=${v.id === currentId ? 'true' : 'false'}>
                <span part="visit-title">${v.title || 'Untitled visit'}<small>${new Date(v.updatedAt).toLocaleString()} · ${segmentCountLabel(v.id === currentId ? this.openSegments : { spoken: v.segmentCount, gaps: v.gapCount ?? 0 })}</small></span>
                <button part="open-button" aria-label="Open ${v.title || 'visit'}" ?disabled=${v.id === currentId} @click=${() => void this.open(v.id)}>Open</button>
                <button part="delete-button" aria-label="Delete ${v.title || 'visit'}" @click=${() => this.confirmed('Delete this visit for good?') && void this.delete(v.id)}>Delete</button>
              </li>`,
            )}
          </ul>`
        : html`<p part="empty">No stored visits yet. What you dictate is kept here, encrypted on this device.</p>`}
      <div part="footer">
        <button part="export-button" ?disabled=${!this.visits.length} @click=${() => void this.exportAll()}>Export all</button>
        <button part="erase-button" ?disabled=${!this.visits.length} @click=${() => this.confirmed('Erase every stored visit? This cannot be undone.') && void this.eraseAll()}>Erase all</button>
        <p part="status">${this.keeper?.store.persisted ? 'Storage is persistent.' : 'The browser may clear this storage when space runs low.'}</p>
      </div>
      ${this.passphrase !== undefined
        ? html`<details part="rekey">
            <summary>Change passphrase</summary>
            <form @submit=${this.onRekey}>
              <label>Current passphrase <input type="password" name="current" autocomplete="current-password" required /></label>
              <label>New passphrase <input type="password" name="next" autocomplete="new-password" required /></label>
              <label>New passphrase again <input type="password" name="repeat" autocomplete="new-password" required /></label>
              <button type="submit">Change passphrase</button>
            </form>
          </details>`
        : nothing}
    `;
  }

  private start(): Promise<void> {
    this.starting ??= this.openStore();
    return this.starting;
  }

  private restart(): void {
    this.stop();
    void this.start();
  }

  private stop(): void {
    this.unwatchTranscript?.();
    this.unwatchTranscript = null;
    this.memory?.close();
    this.memory = null;
    this.keeper?.close();
    this.keeper = null;
    this.starting = null;
  }

  private async openStore(): Promise<void> {
    const session = this.session;
    if (!session || this.keeper) return;
    if (this.requirePassphrase && !this.passphrase) {
      this.locked = true;
      return;
    }
    try {
      this.keeper = await VisitKeeper.open(session, {
        name: this.dbName,
        passphrase: this.passphrase,
        retentionDays: this.retentionDays ?? undefined,
        onError: (error) => this.fail(error),
        onCreated: (visitId) => {
          this.announce('created', visitId);
          void this.refresh();
        },
        onChange: () => this.onRecorderChange(),
        onVisit: (reason, visitId) => {
          if (reason === 'new') this.announce('new', null);
          else this.announce('open', visitId);
          this.openSegments = countSegments(session.transcript.segments);
          this.requestUpdate();
        },
        onAccess: () => this.requestUpdate(),
        onRemote: (message) => this.onRemote(message),
      });
      // The stored count of the open visit lags its writes (the list is read again at most about once
      // a second, and first when the visit is created, before its first segment is in): its row
      // counts what the session holds instead.
      this.openSegments = countSegments(session.transcript.segments);
      this.unwatchTranscript?.();
      this.unwatchTranscript = session.on('slm-session-transcript', () => (this.openSegments = countSegments(session.transcript.segments)));
      this.locked = false;
      this.error = '';
      this.keepModelMemory();
      await this.refresh();
      const latest = this.visits[0];
      // Only an empty page resumes: what was already said here belongs to the visit it was said in.
      if (latest && !this.noResume && session.isEmpty) await this.open(latest.id);
    } catch (error) {
      if (error instanceof SlmError && error.code === 'storage-wrong-passphrase') this.locked = true;
      this.fail(error);
    }
  }

  /** The language model's memory of each visit, kept with it when the provider has an engine. */
  private keepModelMemory(): void {
    this.memory?.close();
    this.memory = null;
    const engine = this.engineConsumer.value;
    const session = this.session;
    if (engine && session && this.keeper) this.memory = new ModelMemoryKeeper(session, this.keeper.store, engine);
  }

  private async act(work: (keeper: VisitKeeper) => Promise<void>): Promise<void> {
    const keeper = this.keeper;
    if (!keeper) return;
    try {
      await work(keeper);
    } catch (error) {
      this.fail(error);
    }
  }

  private async refresh(): Promise<void> {
    const listing = ++this.listings;
    try {
      if (!this.keeper) return;
      const visits = await this.keeper.store.list();
      // Listings overlap while a dictation writes: one that took longer must not put back an older list.
      if (listing === this.listings) this.visits = visits;
    } catch (error) {
      this.fail(error);
    }
  }

  private onRecorderChange(): void {
    const recorder = this.keeper?.recorder;
    this.unsaved = recorder?.unsaved ?? 0;
    const failed = recorder?.failedCount ?? 0;
    // Everything that failed is stored now: the error no longer holds.
    if (this.failed && !failed) this.error = '';
    this.failed = failed;
    // A dictation writes often; the list needs redrawing about once a second at most.
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 600);
  }

  private async onRemote(message: VisitChannelMessage): Promise<void> {
    if (message.type === 'rekeyed' && this.keeper?.store.locked) {
      this.locked = true;
      this.error = 'The passphrase was changed in another tab: enter the new one. Changes not saved yet stay on this page.';
      return;
    }
    if (message.type === 'erased') {
      // The other tab made a new key: this page opens the store again to use it.
      this.announce('erase', null);
      this.restart();
      return;
    }
    if (message.type === 'deleted') this.announce('delete', message.visitId);
    await this.refresh();
  }

  private confirmed(question: string): boolean {
    return typeof confirm !== 'function' || confirm(question);
  }

  private announce(action: VisitChangeDetail['action'], visitId: string | null): void {
    this.emit<VisitChangeDetail>('slm-visit-change', { action, visitId });
  }

  private fail(error: unknown): SlmError {
    const slm = this.reportError(error, { code: 'storage-failed' });
    // A write found the key replaced before the other tab's message came: ask for the new passphrase now.
    if (this.keeper?.store.locked) this.locked = true;
    const kept = 'It is kept on this page and saved as soon as storage works again (Retry); do not close the page until then.';
    if (slm.code === 'storage-quota') this.error = `Storage is full, so the newest changes are not saved yet. ${kept} Free some space, or export and erase old visits.`;
    else if (slm.code === 'storage-failed') this.error = `${slm.message} ${kept}`;
    else this.error = slm.message;
    return slm;
  }

  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    const recorder = this.keeper?.recorder;
    if (!recorder) return;
    // Partials and a note waiting their turn go now; failed writes are what a reload would lose.
    void recorder.flush();
    if (recorder.failedCount > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  };

  private readonly onRekey = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const [current, next, repeat] = ['current', 'next', 'repeat'].map((name) => String(data.get(name) ?? ''));
    if (next !== repeat) {
      this.error = 'The new passphrase and its repetition differ; nothing was changed.';
      return;
    }
    try {
      await this.rekey(current, next);
      form.reset();
      (form.parentElement as HTMLDetailsElement).open = false;
    } catch {
      // Reported by rekey; the form keeps what was typed so it can be corrected.
    }
  };

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

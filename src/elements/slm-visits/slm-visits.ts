import { ContextConsumer } from '@lit/context';
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
import { OpenVisitCount } from './internal/open-visit-count.js';
import { storageMessage } from './internal/storage-message.js';
import { VisitListing } from './internal/visit-listing.js';
import { UnloadGuard } from './internal/unload-guard.js';
import { renderUnlock, renderVisits } from './internal/visits-view.js';
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

  private readonly sessionConsumer = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: () => this.restart() });
  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true, callback: () => this.keepModelMemory() });
  private keeper: VisitKeeper | null = null;
  private memory: ModelMemoryKeeper | null = null;
  private starting: Promise<void> | null = null;
  private passphrase: string | undefined;
  private readonly openCount = new OpenVisitCount(this);
  private readonly listing = new VisitListing(
    () => this.keeper?.store.list(),
    (visits) => (this.visits = visits),
    (error) => this.fail(error),
  );

  constructor() {
    super();
    this.addController(new UnloadGuard(() => this.keeper?.recorder));
  }

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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  override render() {
    if (this.locked) return renderUnlock(this.error, (passphrase) => void this.unlock(passphrase));
    const session = this.session;
    return renderVisits({
      visits: this.visits,
      currentId: this.currentVisitId,
      openSegments: this.openCount.value,
      unsaved: this.unsaved,
      failed: this.failed,
      readOnlyReason: session?.readOnly ? session.readOnlyReason : null,
      error: this.error,
      persisted: this.keeper?.store.persisted ?? null,
      hasPassphrase: this.passphrase !== undefined,
      onNew: () => void this.newVisit(),
      onRetry: () => void this.retry(),
      onOpen: (id) => void this.open(id),
      onDelete: (id) => void this.delete(id),
      onExport: () => void this.exportAll(),
      onErase: () => void this.eraseAll(),
      onRekey: (current, next, repeat) => this.changePassphrase(current, next, repeat),
    });
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
    this.listing.cancel();
    this.openCount.stop();
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
          this.openCount.recount();
        },
        onAccess: () => this.requestUpdate(),
        onRemote: (message) => this.onRemote(message),
      });
      this.openCount.follow(session);
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

  private refresh(): Promise<void> {
    return this.listing.refresh();
  }

  private onRecorderChange(): void {
    const recorder = this.keeper?.recorder;
    this.unsaved = recorder?.unsaved ?? 0;
    const failed = recorder?.failedCount ?? 0;
    // Everything that failed is stored now: the error no longer holds.
    if (this.failed && !failed) this.error = '';
    this.failed = failed;
    this.listing.soon();
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

  private announce(action: VisitChangeDetail['action'], visitId: string | null): void {
    this.emit<VisitChangeDetail>('slm-visit-change', { action, visitId });
  }

  private fail(error: unknown): SlmError {
    const slm = this.reportError(error, { code: 'storage-failed' });
    // A write found the key replaced before the other tab's message came: ask for the new passphrase now.
    if (this.keeper?.store.locked) this.locked = true;
    this.error = storageMessage(slm);
    return slm;
  }

  /** The change passphrase form: resolves to whether it was changed. */
  private async changePassphrase(current: string, next: string, repeat: string): Promise<boolean> {
    if (next !== repeat) {
      this.error = 'The new passphrase and its repetition differ; nothing was changed.';
      return false;
    }
    try {
      await this.rekey(current, next);
      return true;
    } catch {
      // Reported by rekey.
      return false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-visits': SlmVisits;
  }
  interface HTMLElementEventMap {
    'slm-visit-change': CustomEvent<VisitChangeDetail>;
  }
}

import { SlmError } from '../errors/slm-error.js';
import type { VisitSession } from '../session/visit-session.js';
import { SessionRecorder } from './session-recorder.js';
import { VisitChannel, type VisitChannelMessage } from './visit-channel.js';
import { VisitLock } from './visit-lock.js';
import type { VisitStore } from './visit-store.js';
import type { VisitStoreOptions } from './visit-types.js';

export interface VisitKeeperOptions extends VisitStoreOptions {
  onError: (error: SlmError) => void;
  onCreated?: (visitId: string) => void;
  /** Something was stored, or the count of unsaved changes changed. */
  onChange?: () => void;
  onVisit?: (reason: 'new' | 'open', visitId: string) => void;
  /** This page may, or may no longer, write the open visit. */
  onAccess?: () => void;
  /** Another tab erased, deleted or changed visits (after this page followed). */
  onRemote?: (message: VisitChannelMessage) => void;
}

const READ_ONLY_REASON =
  'This visit is open in another tab, which records it: here it is read-only and nothing you add is stored. Start a new visit to keep working, or close the other tab and open this visit again.';

/**
 * Everything that keeps one session's visits: the store, the recorder that writes the session
 * into it, the lock that lets one tab record a visit, and the channel to the other tabs.
 */
export class VisitKeeper {
  readonly recorder: SessionRecorder;
  private readonly lock: VisitLock;
  private readonly channel: VisitChannel;
  private readonly unsubscribe: Array<() => void>;
  private closed = false;

  private constructor(
    readonly store: VisitStore,
    private readonly session: VisitSession,
    private readonly options: VisitKeeperOptions,
  ) {
    const name = options.name ?? 'slm-visits';
    this.lock = new VisitLock(name);
    this.channel = new VisitChannel(name, (message) => void this.onRemote(message));
    this.recorder = new SessionRecorder(store, session, {
      mayWrite: (visitId) => (visitId === session.id ? this.claim(visitId) : Promise.resolve(true)),
      onError: options.onError,
      onChange: options.onChange,
      onCreated: (visitId) => {
        this.channel.post({ type: 'changed' });
        options.onCreated?.(visitId);
      },
    });
    this.unsubscribe = [
      session.on('slm-session-visit', ({ detail }) => {
        void this.claim(detail.visitId);
        options.onVisit?.(detail.reason, detail.visitId);
      }),
      session.on('slm-session-access', () => options.onAccess?.()),
    ];
  }

  /** Opens the store (the module loads only now, so importing the element stays light). */
  static async open(session: VisitSession, options: VisitKeeperOptions): Promise<VisitKeeper> {
    const { VisitStore } = await import('./visit-store.js');
    const store = await VisitStore.open(options);
    return new VisitKeeper(store, session, options);
  }

  isStored(visitId: string): boolean {
    return this.recorder.isStored(visitId);
  }

  /** Seals the session's visit and puts a stored one in its place. */
  async open(id: string): Promise<void> {
    await this.recorder.flush();
    const visit = await this.store.get(id);
    if (!visit) throw new SlmError('invalid-argument', 'That visit no longer exists (it was deleted, perhaps in another tab).');
    this.recorder.markStored(id);
    await this.session.open({ id: visit.id, segments: visit.segments, note: visit.notes.at(-1)?.note ?? null, chat: visit.chat });
  }

  async delete(id: string): Promise<void> {
    this.recorder.forget(id);
    await this.store.delete(id);
    this.channel.post({ type: 'deleted', visitId: id });
    if (this.session.id === id) await this.session.startNew();
  }

  async eraseAll(): Promise<void> {
    this.recorder.forget();
    await this.store.eraseAll();
    this.channel.post({ type: 'erased' });
    await this.session.startNew();
  }

  /**
   * Changes the passphrase (see `VisitStore.rekey`) once what the page has is stored, and
   * tells the other tabs, which ask for the new one.
   */
  async rekey(oldPassphrase: string, newPassphrase: string): Promise<void> {
    await this.recorder.flush();
    await this.store.rekey(oldPassphrase, newPassphrase);
    this.channel.post({ type: 'rekeyed' });
  }

  /** Opens a store locked by a passphrase change in another tab, then stores what waited on the page. */
  async unlock(passphrase: string): Promise<void> {
    await this.store.unlock(passphrase);
    await this.recorder.retry();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe.forEach((off) => off());
    this.recorder.dispose();
    this.lock.close();
    this.channel.close();
    this.store.close();
  }

  /** Takes the visit's lock; without it the session is read-only. */
  private async claim(visitId: string): Promise<boolean> {
    const granted = await this.lock.acquire(visitId);
    if (this.session.id === visitId && !this.closed) this.session.setAccess(!granted, granted ? '' : READ_ONLY_REASON);
    return granted;
  }

  private async onRemote(message: VisitChannelMessage): Promise<void> {
    // Before anything else: a store that cannot follow is locked, and writes nothing with the old key.
    if (message.type === 'rekeyed') await this.store.followKey();
    else if (message.type === 'erased') {
      this.recorder.forget();
      await this.session.startNew();
    } else if (message.type === 'deleted' && message.visitId === this.session.id) {
      this.recorder.forget(message.visitId);
      await this.session.startNew();
    }
    this.options.onRemote?.(message);
  }
}

import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { SlmError } from '../../../errors/slm-error.js';
import type { SlmProvider } from '../../slm-provider/slm-provider.js';
import { formatBytes } from '../../slm-provider/format.js';

export interface ForgetControlOptions {
  provider: () => SlmProvider;
  /** A recording runs: forgetting is refused, so the button says why it waits. */
  recording: () => boolean;
  /** The models are about to go: the app stops counting on them. */
  onForgetting: () => void;
  /** They are gone, or the attempt failed: the app reads the cache again (the setup screen where nothing is left). */
  onSettled: () => void;
}

/**
 * "Forget downloaded models": for a shared laptop, or a device short of space. Asks first, in
 * place (no browser dialog), then calls the provider's `forgetModels()`; says what was freed,
 * or why not. The visits stay: they are not models.
 */
export class ForgetControl implements ReactiveController {
  /** Bytes the models take in Cache Storage; null until measured. */
  private bytes: number | null = null;
  private step: 'idle' | 'confirm' | 'forgetting' = 'idle';
  private outcome: { text: string; failed: boolean } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: ForgetControlOptions,
  ) {
    host.addController(this);
  }

  /** A question left open does not outlive the page it was asked on. */
  hostDisconnected(): void {
    if (this.step === 'confirm') this.step = 'idle';
  }

  /** The details dialog opens: a question left unanswered there is dropped, and the size measured anew. */
  open(): Promise<void> {
    if (this.step === 'confirm') this.step = 'idle';
    this.outcome = null;
    return this.measure();
  }

  /** Measures what the models take in Cache Storage now. */
  private async measure(): Promise<void> {
    const models = await this.options.provider().engine.cache.list().catch(() => []);
    this.bytes = models.reduce((sum, m) => sum + m.bytes, 0);
    this.host.requestUpdate();
  }

  render() {
    const size = this.bytes ? ` (${formatBytes(this.bytes)})` : '';
    const recording = this.options.recording();
    return html`<section class="forget" aria-labelledby="forget-title">
      <h3 id="forget-title">Space on this device</h3>
      ${this.step === 'confirm'
        ? html`<div part="forget-confirm" role="group" aria-labelledby="forget-question">
            <p id="forget-question">Delete the downloaded models${size} from this device? Stored visits stay. Dictation needs the models again: the next start downloads them anew.</p>
            <div class="actions">
              <button type="button" data-action="forget" @click=${() => void this.forget()}>Forget models</button>
              <button type="button" data-action="cancel" @click=${() => this.cancel()}>Cancel</button>
            </div>
          </div>`
        : html`<button type="button" part="forget-models" ?disabled=${recording || this.step === 'forgetting'} aria-describedby="forget-note" @click=${() => this.ask()}>
              ${this.step === 'forgetting' ? 'Forgetting the models…' : `Forget downloaded models${size}`}
            </button>
            <p id="forget-note" class="muted">${recording ? 'Stop the recording first: the models are transcribing it.' : 'Frees the space the models take; stored visits are not touched.'}</p>`}
      <p class=${this.outcome?.failed ? 'error' : 'muted'} role="status">${this.outcome?.text ?? nothing}</p>
    </section>`;
  }

  private ask(): void {
    this.step = 'confirm';
    this.outcome = null;
    this.focusAfterUpdate('[data-action="cancel"]');
  }

  private cancel(): void {
    this.step = 'idle';
    this.focusAfterUpdate('[part~="forget-models"]');
  }

  private async forget(): Promise<void> {
    this.step = 'forgetting';
    this.host.requestUpdate();
    this.options.onForgetting();
    try {
      const { freedBytes } = await this.options.provider().forgetModels();
      this.outcome = { text: `The models were deleted from this device${freedBytes ? ` (${formatBytes(freedBytes)} freed)` : ''}. Download them again to dictate.`, failed: false };
    } catch (error) {
      this.outcome = { text: SlmError.from(error, 'storage-failed').message, failed: true };
    }
    this.step = 'idle';
    await this.measure();
    this.options.onSettled();
    this.focusAfterUpdate('[part~="forget-models"]');
  }

  /** Keeps the keyboard where the user is: the confirm's buttons replace the one pressed. */
  private focusAfterUpdate(selector: string): void {
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.shadowRoot?.querySelector<HTMLElement>(selector)?.focus());
  }
}

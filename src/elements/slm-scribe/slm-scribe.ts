import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { DevicePreference, DeviceReport, ModelState } from '../../engine/types.js';
import { HUGGING_FACE_HUB } from '../../engine/slm-engine.js';
import { SlmElement } from '../internal/slm-element.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import '../slm-provider/slm-provider.js';
import '../slm-visits/slm-visits.js';
import '../slm-transcriber/slm-transcriber.js';
import '../slm-note/slm-note.js';
import '../slm-chat/slm-chat.js';
import type { SlmProvider } from '../slm-provider/slm-provider.js';
import type { SlmVisits } from '../slm-visits/slm-visits.js';
import type { SlmTranscriber } from '../slm-transcriber/slm-transcriber.js';
import { describeDevice } from '../slm-provider/format.js';
import { defaultModels, describeBackend, recommendModels, type ModelRecommendation } from './internal/recommend.js';
import { screenFor, type ScribeScreen } from './internal/screen.js';
import { renderSetupCard } from './internal/setup-card.js';
import { failureFor, renderFailure, type FailureText } from './internal/failure-text.js';
import { ForgetControl } from './internal/forget-control.js';
import { renderShortcuts, SHORTCUTS, type ShortcutCode } from './internal/shortcuts.js';
import { scribeStyles } from './slm-scribe.styles.js';

type Panel = 'transcript' | 'note' | 'chat';
/** The properties the setup card's recommendations depend on. */
const RECOMMENDATION_INPUTS = ['llm', 'asr', 'device', 'llmEndpoint', 'modelHost'] as const;
/** The failures the app itself announces (see `onError`). */
const ALERTED = /^(storage-|mic-|audio-|speech-failed|visit-read-only)/;
const PANELS: ReadonlyArray<[Panel, string]> = [
  ['transcript', 'Transcript'],
  ['note', 'Note'],
  ['chat', 'Chat'],
];

/**
 * The clinic app in one tag: stored visits, dictation, the note and the chat, arranged for a
 * laptop (visits in a sidebar, transcript and note side by side, chat in a side panel) and for
 * a tablet or phone (one column with tabs, the record button always at hand). It only arranges
 * `<slm-provider>`, `<slm-visits>`, `<slm-transcriber>`, `<slm-note>` and `<slm-chat>` and wires
 * them to one visit session; each stays usable on its own. On first run a setup card recommends
 * models for this device and shows their download; dictation and the instant draft work before
 * the language model is ready. Keyboard shortcuts: Alt+R record, Alt+N new visit, Alt+1/2/3
 * transcript, note, chat, Alt+V visits, Alt+M model status, Alt+/ all shortcuts.
 *
 * @summary The whole clinic scribe: visits, dictation, note and chat.
 *
 * @fires slm-load-progress - Forwarded from the provider.
 * @fires slm-ready - A model finished loading.
 * @fires slm-models-forgotten - Forwarded from the provider: the downloaded models were deleted from this device.
 * @fires slm-error - Any failure of the elements inside (model, microphone, storage), with its `code`; the app also shows it with what to do.
 *
 * @slot header-end - Extra controls at the end of the top bar (a link to settings, a help page).
 *
 * @csspart header - The top bar.
 * @csspart status-chip - The compact model status; opens the details.
 * @csspart recording - The recording indicator in the top bar.
 * @csspart remote-chip - With `llm-endpoint`: names the server the transcript, the note and chat messages are sent to.
 * @csspart sidebar - The visits sidebar.
 * @csspart tabs - The tabs of the one-column layout.
 * @csspart setup - The first-run card: recommended models, sizes, progress.
 * @csspart alert - A problem and what to do about it (storage full, a model failed).
 * @csspart transcript-panel - The transcript and the recording controls.
 * @csspart note-panel - The note.
 * @csspart chat-panel - The chat.
 * @csspart dialog - The model details and the shortcuts dialogs.
 * @csspart forget-models - In the model details: "Forget downloaded models (size)", which frees their space (the provider's `forgetModels()`).
 * @csspart forget-confirm - The question, in place, before the models are forgotten, with its Forget models and Cancel buttons.
 *
 * @cssprop [--slm-scribe-height=100dvh] - Height of the app.
 * @cssprop [--slm-color-background=#ffffff] - Page background of the app.
 * @cssprop [--slm-color-text=#1f2328] - Text colour (all elements).
 * @cssprop [--slm-color-accent=#0b6bcb] - Accent, focus rings.
 * @cssprop [--slm-color-surface=#f6f8fa] - Panels.
 * @cssprop [--slm-color-danger=#c62828] - Errors and the record button while recording.
 */
@customElement('slm-scribe')
export class SlmScribe extends SlmElement {
  static override styles = [themeStyles, controlStyles, scribeStyles];

  /** Language model preset or id; empty: the one recommended for this device. */
  @property() llm: string | null = null;

  /** Speech model preset or id; empty: the one recommended for this device. */
  @property() asr: string | null = null;

  /** A small model for quick chat answers (see `<slm-provider small-llm>`). */
  @property({ attribute: 'small-llm' }) smallLlm: string | null = null;

  /** A fast speech model for live partials (see `<slm-provider asr-preview>`). */
  @property({ attribute: 'asr-preview' }) asrPreview: string | null = null;

  /** Base URL of a self-hosted model mirror with the Hugging Face layout. */
  @property({ attribute: 'model-host' }) modelHost: string = HUGGING_FACE_HUB;

  /**
   * Base URL (`https://…/v1`) of an OpenAI-compatible server the clinic runs: the language model
   * runs there (`llm` names a model on it) and the top bar names the host text is sent to.
   */
  @property({ attribute: 'llm-endpoint' }) llmEndpoint: string | null = null;

  /** Where models run: `auto`, `webgpu` or `wasm`. */
  @property() device: DevicePreference = 'auto';

  /** IndexedDB database of the stored visits. */
  @property({ attribute: 'db-name' }) dbName = 'slm-visits';

  /** Note template id (`soap`, `history-physical`, `progress`). */
  @property() template = 'soap';

  /** `auto` follows the system (light, dark, more contrast); `high-contrast` forces the high-contrast theme. */
  @property({ reflect: true }) theme: 'auto' | 'high-contrast' = 'auto';

  @state() private screen: ScribeScreen = 'checking';
  @state() private recommendations: ModelRecommendation[] = [];
  @state() private report: DeviceReport | null = null;
  @state() private warnings: string[] = [];
  @state() private persisted: boolean | null = null;
  @state() private tab: Panel = 'transcript';
  @state() private sidebarOpen = true;
  @state() private chatOpen = true;
  @state() private recording = false;
  @state() private alert: FailureText | null = null;
  @state() private cardHidden = false;
  /** The models were asked for: before that the note drafts without the language model, so nothing downloads unasked. */
  @state() private started = false;

  @query('slm-provider') private providerElement!: SlmProvider;
  @query('#details') private detailsDialog!: HTMLDialogElement;
  @query('#shortcuts') private shortcutsDialog!: HTMLDialogElement;

  private readonly forgetControl = new ForgetControl(this, {
    provider: () => this.provider,
    recording: () => this.recording,
    onForgetting: () => this.forgetting(),
    onSettled: () => this.forgotten(),
  });

  private allCached = false;
  private checked = false;
  /** Device checks started; a check's result counts only while it is the latest. */
  private checks = 0;

  /** The provider inside: its engine and its visit session. */
  get provider(): SlmProvider {
    return this.providerElement;
  }

  /** The visits element inside (store, export). */
  get visits(): SlmVisits {
    return this.renderRoot.querySelector('slm-visits')!;
  }

  get transcriber(): SlmTranscriber {
    return this.renderRoot.querySelector('slm-transcriber')!;
  }

  /** The visit session the elements share. */
  get session() {
    return this.provider?.session;
  }

  /** Asks for persistent storage when `persist` is set, then loads the models (speech first in the card, both at once). */
  async start(persist = true): Promise<void> {
    if (persist && navigator.storage?.persist) this.persisted = await navigator.storage.persist().catch(() => false);
    this.cardHidden = false;
    this.started = true;
    await this.updateComplete;
    await this.provider.load().catch(() => undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    window.addEventListener('online', this.refresh);
    window.addEventListener('offline', this.refresh);
    // Below a laptop's width the side panels open over the workspace, so they start closed.
    const narrow = typeof matchMedia === 'function' && matchMedia('(max-width: 1099px)').matches;
    this.sidebarOpen = this.chatOpen = !narrow;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('online', this.refresh);
    window.removeEventListener('offline', this.refresh);
  }

  protected override firstUpdated(): void {
    this.provider.engine.addEventListener('slm-state-change', this.refresh);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A page may name the models, or where they run, after the first render (the demo does so
    // from its URL): the card then recommends and sizes those, not the defaults.
    if (this.checks === 0 || RECOMMENDATION_INPUTS.some((name) => changed.has(name))) void this.checkDevice();
  }

  override render() {
    const models = this.models();
    const showCard = !this.cardHidden && (this.screen !== 'ready' || models.llm.status === 'loading');
    return html`
      <slm-provider hide-status .llm=${this.llm ?? this.recommended('llm')} .asr=${this.asr ?? this.recommended('asr')} .smallLlm=${this.smallLlm} .asrPreview=${this.asrPreview} .modelHost=${this.modelHost} .llmEndpoint=${this.llmEndpoint} .device=${this.device} @slm-error=${this.onError} @slm-recording-change=${this.onRecording}>
        <div class="app" data-tab=${this.tab} ?data-sidebar=${this.sidebarOpen} ?data-chat=${this.chatOpen} ?data-recording=${this.recording}>
          ${this.renderHeader(models)}
          <aside id="sidebar" part="sidebar" aria-label="Visits" ?hidden=${!this.sidebarOpen}><slm-visits db-name=${this.dbName} retention-days="30"></slm-visits></aside>
          <div part="tabs" role="tablist" aria-label="Workspace">
            ${PANELS.map(([id, label]) => html`<button role="tab" id="tab-${id}" aria-controls="panel-${id}" aria-selected=${this.tab === id ? 'true' : 'false'} tabindex=${this.tab === id ? 0 : -1} @click=${() => this.show(id)} @keydown=${this.onTabKey}>${label}</button>`)}
          </div>
          <div class="notices">
            ${this.alert ? html`<div part="alert" role="alert"><p><strong>${this.alert.problem}</strong> ${this.alert.remedy}</p>${this.alert.technical ? html`<details class="technical"><summary>Technical details</summary>${this.alert.technical}</details>` : nothing}<button @click=${() => (this.alert = null)}>Dismiss</button></div>` : nothing}
            ${showCard ? renderSetupCard({ screen: this.screen, recommendations: this.recommendations, models, warnings: this.warnings, persisted: this.persisted, freeBytes: this.freeBytes(), onStart: (persist) => void this.start(persist), onRetry: () => void this.retry(), onDismiss: () => (this.cardHidden = true) }) : nothing}
          </div>
          <section id="panel-transcript" part="transcript-panel" role="tabpanel" tabindex="-1" aria-labelledby="title-transcript">
            <h2 id="title-transcript" class="panel-title">Transcript</h2>
            <slm-transcriber></slm-transcriber>
          </section>
          <section id="panel-note" part="note-panel" role="tabpanel" tabindex="-1" aria-label="Note"><slm-note name="note" template=${this.template} refine=${this.started ? 'auto' : 'off'}></slm-note></section>
          <section id="panel-chat" part="chat-panel" role="tabpanel" tabindex="-1" aria-labelledby="title-chat" ?data-open=${this.chatOpen}>
            <h2 id="title-chat" class="panel-title">Chat about this visit</h2>
            <slm-chat></slm-chat>
          </section>
        </div>
        ${this.renderDetails(models)}
        <dialog id="shortcuts" part="dialog" aria-labelledby="shortcuts-title">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          ${renderShortcuts()}
          <form method="dialog"><button>Close</button></form>
        </dialog>
      </slm-provider>
    `;
  }

  private renderHeader(models: Record<'asr' | 'llm', Readonly<ModelState>>) {
    const chip = chipText(this.screen, models);
    return html`<header part="header">
      <button class="icon" aria-expanded=${this.sidebarOpen ? 'true' : 'false'} aria-controls="sidebar" title="Visits (Alt+V)" @click=${() => (this.sidebarOpen = !this.sidebarOpen)}>☰<span class="visually-hidden">Visits</span></button>
      <h1>Scribe</h1>
      ${this.recording ? html`<span part="recording" role="status"><span class="dot" aria-hidden="true"></span>Recording</span>` : nothing}
      <span class="spacer"></span>
      ${this.provider?.engine.remoteHost
        ? html`<span part="remote-chip" title="The language model runs on this server: the transcript, the note and chat messages are sent there.">Text sent to ${this.provider.engine.remoteHost}</span>`
        : nothing}
      <button part="status-chip" data-screen=${this.screen} aria-haspopup="dialog" title="Model status (Alt+M)" @click=${this.openDetails}><span class="dot" aria-hidden="true"></span>${chip}</button>
      <button class="chat-toggle" aria-expanded=${this.chatOpen ? 'true' : 'false'} aria-controls="panel-chat" @click=${() => (this.chatOpen = !this.chatOpen)}>Chat</button>
      <button class="icon" title="Keyboard shortcuts (Alt+/)" @click=${() => this.shortcutsDialog.showModal()}>?<span class="visually-hidden">Keyboard shortcuts</span></button>
      <slot name="header-end"></slot>
    </header>`;
  }

  private renderDetails(models: Record<'asr' | 'llm', Readonly<ModelState>>) {
    return html`<dialog id="details" part="dialog" aria-labelledby="details-title">
      <h2 id="details-title">Models on this device</h2>
      <p class="muted">${this.report ? describeDevice(this.report) : 'Checking this device…'}</p>
      <dl>
        ${this.recommendations.map((r) => {
          const state = models[r.role];
          return html`<dt>${r.role === 'asr' ? 'Speech' : 'Language'}: ${state.modelId ?? r.preset.label}</dt>
            <dd>${state.status === 'ready' ? 'Ready' : state.status === 'loading' ? 'Loading' : state.status === 'error' ? 'Failed' : 'Not loaded'} · runs ${describeBackend(state.placement?.backend ?? r.backend, r.remoteHost)}. ${state.placement?.reason ?? r.reason}
              ${state.error ? html`<br />${renderFailure(state.error)}` : nothing}</dd>`;
        })}
      </dl>
      ${this.forgetControl.render()}
      <form method="dialog" class="actions">
        ${this.screen === 'failed' ? html`<button @click=${() => void this.retry()}>Try again</button>` : nothing}
        <button>Close</button>
      </form>
    </dialog>`;
  }

  /** Measures the device (once) and works out the models to recommend for the current properties; only the latest check counts. */
  private async checkDevice(): Promise<void> {
    const check = ++this.checks;
    const current = () => check === this.checks;
    const engine = this.provider.engine;
    try {
      const [report, registry, cached] = await Promise.all([engine.device(), engine.registry(), engine.cache.list().catch(() => [])]);
      if (!current()) return;
      if (!this.report) this.persisted = report.storage.persisted;
      this.report = report;
      this.recommendations = recommendModels(report, registry, cached, { llm: this.llm, asr: this.asr, device: this.device, llmEndpoint: this.llmEndpoint });
      this.allCached = this.recommendations.every((r) => r.cached);
      // The provider takes the recommended models in its own update; the plan must read those.
      await this.updateComplete;
      await this.provider.updateComplete;
      const warnings = await engine.plan().then((plan) => plan.warnings).catch(() => []);
      if (current()) this.warnings = warnings;
    } catch (error) {
      if (!current()) return;
      // An unknown model name: the card and the chip say so, the rest of the app still works.
      this.recommendations = [];
      this.allCached = false;
      this.reportError(error, { code: 'unknown-model' });
    }
    if (!current()) return;
    this.checked = true;
    this.refresh();
    // Models kept on this device load without asking: nothing is downloaded.
    if (this.allCached && !this.started) void this.start(false);
  }

  private recommended(role: 'asr' | 'llm'): string | null {
    return this.recommendations.find((r) => r.role === role)?.id ?? (this.report ? defaultModels(this.report)[role] : null);
  }

  private models(): Record<'asr' | 'llm', Readonly<ModelState>> {
    const engine = this.providerElement?.engine;
    const idle: ModelState = { status: 'idle', modelId: null, placement: null, progress: null, error: null };
    return { asr: engine?.state('asr') ?? idle, llm: engine?.state('llm') ?? idle };
  }

  private freeBytes(): number | null {
    const storage = this.report?.storage;
    return storage?.quotaBytes == null ? null : storage.quotaBytes - (storage.usageBytes ?? 0);
  }

  private async retry(): Promise<void> {
    this.alert = null;
    await this.start(false);
  }

  private show(panel: Panel): void {
    this.tab = panel;
    if (panel === 'chat') this.chatOpen = true;
    void this.updateComplete.then(() => {
      const target = this.renderRoot.querySelector<HTMLElement>(`#panel-${panel}`)!;
      // The chat is for typing: its box takes the focus; the other panels take it themselves.
      const input = panel === 'chat' ? target.querySelector('slm-chat')?.shadowRoot?.querySelector('textarea') : null;
      (input ?? target).focus();
    });
  }

  private readonly refresh = () => {
    const models = this.models();
    this.screen = screenFor({ checked: this.checked, allCached: this.allCached, online: navigator.onLine, ...models });
    this.requestUpdate();
  };

  private readonly onError = (event: CustomEvent<{ code: string; message: string }>) => {
    const { code, message } = event.detail;
    this.refresh();
    // Model failures have their screen (the card and the chip), and the note and the chat show their own;
    // storage and microphone trouble would otherwise go unseen, so it is shown here with what to do.
    if (!ALERTED.test(code)) return;
    this.alert = failureFor({ code, message });
  };

  private readonly onRecording = (event: CustomEvent<{ state: string }>) => {
    this.recording = event.detail.state === 'recording' || event.detail.state === 'paused';
  };

  /** Nothing loads by itself until the clinician asks again (the note stops refining too). */
  private forgetting(): void {
    this.started = false;
    // The card offers no download until the cache has been read again (`forgotten()`).
    this.checked = false;
  }

  private forgotten(): void {
    this.cardHidden = false;
    void this.checkDevice();
  }

  private readonly openDetails = () => {
    void this.forgetControl.open();
    this.detailsDialog.showModal();
  };

  private readonly onTabKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const index = (PANELS.findIndex(([id]) => id === this.tab) + step + PANELS.length) % PANELS.length;
    this.tab = PANELS[index][0];
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.tab}`)?.focus());
  };

  private readonly onKey = (event: KeyboardEvent) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const code = event.code as ShortcutCode;
    // Alt+R belongs to the transcriber, which listens for it itself.
    if (code === 'KeyR' || !SHORTCUTS.some((s) => s.code === code)) return;
    event.preventDefault();
    if (code === 'KeyN') void this.visits.newVisit();
    else if (code === 'Digit1') this.show('transcript');
    else if (code === 'Digit2') this.show('note');
    else if (code === 'Digit3') this.show('chat');
    else if (code === 'KeyV') this.sidebarOpen = !this.sidebarOpen;
    else if (code === 'KeyM') this.openDetails();
    else if (code === 'Slash') this.shortcutsDialog.showModal();
  };
}

function chipText(screen: ScribeScreen, models: Record<'asr' | 'llm', Readonly<ModelState>>): string {
  if (screen === 'loading') {
    const fractions = [models.asr, models.llm].map((m) => (m.status === 'ready' ? 1 : (m.progress?.fraction ?? 0)));
    return `Loading ${Math.round((fractions.reduce((a, b) => a + b, 0) / 2) * 100)}%`;
  }
  if (screen === 'ready') return models.llm.status === 'ready' ? 'Models ready' : 'Dictation ready';
  return { checking: 'Checking…', setup: 'No models yet', offline: 'Offline', failed: 'Model failed' }[screen];
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-scribe': SlmScribe;
  }
}

import { provide } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { engineContext } from '../../context.js';
import { sessionContext } from '../../session/session-context.js';
import { SlmElement } from '../internal/slm-element.js';
import { VisitSession } from '../../session/visit-session.js';
import { SlmEngine, HUGGING_FACE_HUB, type LoadPolicy, type ModelState } from '../../engine/slm-engine.js';
import type { DevicePreference, DeviceReport, ModelDtype, ModelRole } from '../../engine/types.js';
import type { IntegrityPins } from '../../engine/model-files/integrity.js';
import type { StallLimits } from '../../engine/workers/worker-client.js';
import type { RecycleLimits } from '../../engine/worker-recycling.js';
import '../../events.js';
import { themeStyles } from '../../styles/theme.js';
import { providerStyles } from './slm-provider.styles.js';
import { describeDevice, describeProgress } from './format.js';
import { forgetModels, RecordingWatch, type ModelsForgottenDetail } from './forget-models.js';

export type { ModelsForgottenDetail };

// Above the class: a provider already in the page is upgraded while the class is defined,
// and its first render reads these.
/** The status panel's rows: every configured slot, in this order. */
const ROLE_LABELS: ReadonlyArray<[ModelRole, string]> = [
  ['llm', 'Language model'],
  ['small', 'Small language model'],
  ['asr', 'Speech model'],
  ['preview', 'Live partials'],
  ['embed', 'Chat router'],
];

const forwarded = ['slm-load-progress', 'slm-ready', 'slm-error', 'slm-debug'] as const;

/**
 * Owns one on-device AI engine and shares it, through the context protocol, with every
 * element inside it: one model load, one scheduler, many consumers. Removed from the page, it
 * disposes its engine (loads stop, models unload, their workers end); moved within the page in
 * one go (`append`, `insertBefore`: disconnected and connected in the same task) it keeps them.
 * Put back after a removal, it loads again on `load()`, on first use, or at once with `autoload`.
 *
 * @summary Loads models once and shares them with the elements inside it.
 *
 * @slot - The elements that use the engine (`<slm-transcriber>`, `<slm-chat>`, your own).
 * @slot status - Replaces the built-in status panel (device report, and each configured model's state and load progress).
 *
 * @fires slm-load-progress - Download and preparation progress of a model (`LoadProgress`; `role` names its slot).
 * @fires slm-ready - A model finished loading (`ReadyDetail`).
 * @fires slm-error - A model failed to load or run (`ErrorDetail` with a `code`, and the slot's `role`).
 * @fires slm-debug - Something worth a developer's eye that is no error (`DebugDetail` by `kind`: a speech worker replaced between readings, a stored model cache refused).
 * @fires slm-models-forgotten - `forgetModels()` unloaded the models and deleted their files (`ModelsForgottenDetail`: `models`, `freedBytes`).
 *
 * @csspart status - The status panel.
 * @csspart device - The line that reports what this device can accelerate.
 * @csspart model - One model's row: name, progress, state.
 * @csspart progress - A model's progress bar (a native `<progress>`).
 * @csspart error - A model's error message.
 * @csspart remote - The notice, shown whenever `llm-endpoint` is set, that text leaves this device and for which host.
 *
 * @cssprop [--slm-font-family=system-ui, sans-serif] - Font of the status panel.
 * @cssprop [--slm-color-text=#1f2328] - Text colour.
 * @cssprop [--slm-color-muted=#59636e] - Secondary text colour.
 * @cssprop [--slm-color-accent=#0b6bcb] - Progress bar colour.
 * @cssprop [--slm-color-danger=#c62828] - Error colour.
 * @cssprop [--slm-color-surface=#f6f8fa] - Status panel background.
 * @cssprop [--slm-radius=6px] - Corner radius.
 */
@customElement('slm-provider')
export class SlmProvider extends SlmElement {
  static override styles = [themeStyles, providerStyles];

  /** LLM preset id (e.g. `phi-3.5-mini`, `qwen2.5-0.5b`) or a full WebLLM / Hugging Face model id. */
  @property() llm: string | null = null;

  /** Speech-recognition preset id (e.g. `whisper-base`, `moonshine-tiny`) or a full model id. */
  @property() asr: string | null = null;

  /**
   * A small LLM for quick answers (e.g. `smollm2-360m`): `<slm-chat>` sends simple questions to
   * it and wakes `llm` only for reasoning. Loads on first use.
   */
  @property({ attribute: 'small-llm' }) smallLlm: string | null = null;

  /**
   * A fast speech model for live partial hypotheses (e.g. `moonshine-tiny`) while `asr` writes
   * the finals: Whisper's partials cost a 30 s window each, seconds on a CPU. English only for
   * Moonshine; if it fails, `asr` writes the partials too. Loads with `asr`.
   */
  @property({ attribute: 'asr-preview' }) asrPreview: string | null = null;

  /** Base URL of a self-hosted mirror with the Hugging Face layout (`{host}/{org}/{name}/resolve/main/…`). */
  @property({ attribute: 'model-host' }) modelHost: string = HUGGING_FACE_HUB;

  /** Weight format of a Transformers.js LLM (`fp32`, `fp16`, `q8`, `q4`, `q4f16`); default: chosen for the device. */
  @property({ attribute: 'llm-dtype' }) llmDtype: ModelDtype | null = null;

  /** Weight format of the speech model, as `llm-dtype`. */
  @property({ attribute: 'asr-dtype' }) asrDtype: ModelDtype | null = null;

  /**
   * The base URL (`https://…/v1`) of an OpenAI-compatible server your clinic runs (vLLM,
   * llama.cpp's server, Ollama), for devices without a usable GPU: the language models (`llm`,
   * `small-llm`, naming models on that server) then run there. Prompts, and the visit sent with
   * them, leave this device for that host, and the status panel says so. Default none.
   */
  @property({ attribute: 'llm-endpoint' }) llmEndpoint: string | null = null;

  /**
   * A key for the `llm-endpoint` server, sent as `Authorization: Bearer …` to it alone. A property,
   * not an attribute, so it is not left in the markup; every user of the page can still read it,
   * so give each their own short-lived token. Default none.
   */
  @property({ attribute: false }) llmApiKey: string | null = null;

  /** Where models run: `auto` follows the device report; `webgpu` or `wasm` insist. */
  @property() device: DevicePreference = 'auto';

  /**
   * Who may start a model download. `auto`: `load()`, and first use (a recording loads the
   * speech model, a chat message the router's embedding model). `explicit`: only `load()`;
   * anything else that needs an unloaded model fails with `load-not-allowed` (the chat's
   * router falls back to its rules), so nothing is fetched before the app asks.
   */
  @property({ attribute: 'load-policy' }) loadPolicy: LoadPolicy = 'auto';

  /**
   * Where WebLLM models run: `dedicated` (a worker of this page) or `service` (a service worker
   * shared by every tab, so a reload reconnects to the loaded model instead of loading it again).
   */
  @property({ attribute: 'webllm-worker' }) webllmWorker: 'dedicated' | 'service' = 'dedicated';

  /**
   * SHA-256 pins of model files, by model id then path in the repo (`{ 'org/name': { 'onnx/model.onnx': 'sha256-…' } }`):
   * a file that does not match is refused with `model-integrity`. See the engine's `integrity` option.
   */
  @property({ attribute: false }) integrity: Readonly<Record<string, IntegrityPins>> | null = null;

  /**
   * Whether to hold model files to the `slm-integrity.json` beside them on the model host:
   * `auto` (on for a self-hosted `model-host`, off for the Hugging Face hub), `on` or `off`.
   */
  @property({ attribute: 'integrity-manifest' }) integrityManifest: 'auto' | 'on' | 'off' = 'auto';

  /**
   * How long (ms) a model worker may stay silent, per kind of call (`{ load, generate, transcribe, … }`),
   * before it counts as crashed and is restarted; default the engine's `DEFAULT_STALL_LIMITS`.
   */
  @property({ attribute: false }) stallLimits: Partial<StallLimits> | null = null;

  /**
   * When the speech model's worker is replaced by a fresh one between readings (`{ wasmHeapGrowth, gpuBufferGrowth, readings }`,
   * bytes and a count, 0 for off); default the engine's `DEFAULT_RECYCLE_LIMITS`. Each replacement is an `slm-debug` event on the engine.
   */
  @property({ attribute: false }) recycleLimits: Partial<RecycleLimits> | null = null;

  /** Load the models as soon as the element is connected (and again when they change). */
  @property({ type: Boolean }) autoload = false;

  /** Hide the built-in status panel (device report and progress). */
  @property({ type: Boolean, reflect: true, attribute: 'hide-status' }) hideStatus = false;

  /** The shared engine. Plain JavaScript can use it directly: `provider.engine.generate(…)`. */
  @provide({ context: engineContext })
  readonly engine: SlmEngine = new SlmEngine();

  /**
   * The visit (transcript, note, chat) the elements inside share. The provider makes one; an
   * app may set its own, or give part of the page another with `<slm-session>`.
   */
  @provide({ context: sessionContext })
  @property({ attribute: false })
  session: VisitSession = new VisitSession();

  @state() private report: DeviceReport | null = null;
  @state() private models: Record<ModelRole, ModelState> = this.currentModels();
  /** The engine's disposal, due once the task the element was disconnected in is over. */
  private disposal: ReturnType<typeof setTimeout> | undefined;
  /** The engine was disposed on removal: put back, it loads again where `autoload` says so. */
  private disposed = false;
  private readonly recording = new RecordingWatch(this);

  constructor() {
    super();
    for (const type of forwarded) {
      this.engine.addEventListener(type, (event: Event) => {
        const { detail } = event as CustomEvent;
        this.emit(type, detail);
      });
    }
    // One event per change of any slot, load progress included.
    this.engine.addEventListener('slm-state-change', () => this.refreshModels());
  }

  /**
   * Loads the configured models: the language and speech models (and the live-partials one),
   * or the roles named. Under `load-policy="explicit"` every configured model, as nothing else
   * will load one. Resolves when they are ready; failures are also `slm-error` events.
   */
  load(roles?: ModelRole[]): Promise<void> {
    this.syncEngine();
    return this.engine.load(roles ?? (this.loadPolicy === 'explicit' ? ROLE_LABELS.map(([role]) => role) : undefined));
  }

  /**
   * Frees the space the models take on this device: unloads every model (their workers end),
   * then deletes their downloaded files and all the engine kept about them (`engine.cache.clear()`),
   * so the next `load()` downloads them again. Stored visits are not touched. Refused with
   * `recording-in-progress` while a transcriber inside records or reads a file (stop it first:
   * no dictated audio is lost). Resolves to the models deleted and the bytes freed, also sent as
   * `slm-models-forgotten`.
   */
  async forgetModels(): Promise<ModelsForgottenDetail> {
    const forgotten = await forgetModels(this.engine, this.recording);
    this.emit('slm-models-forgotten', forgotten);
    return forgotten;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Connected again in the task it left in: it was moved, and keeps its models.
    clearTimeout(this.disposal);
    this.disposal = undefined;
    if (!this.hideStatus) void this.engine.device().then((report) => (this.report = report));
    if (this.disposed) {
      this.disposed = false;
      if (this.autoload) this.load().catch(() => undefined);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A move (appendChild, insertBefore) disconnects and connects in one task; only a removal that
    // outlasts it ends the models' workers and frees their memory, which nothing else would do.
    clearTimeout(this.disposal);
    this.disposal = setTimeout(() => {
      this.disposal = undefined;
      if (this.isConnected) return;
      this.disposed = true;
      void this.engine.dispose();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (configChanged(changed)) this.syncEngine();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const modelsChanged = configChanged(changed);
    // Failures are reported as slm-error events; an autoload has no caller to reject to.
    if (this.autoload && (modelsChanged || changed.has('autoload'))) this.load().catch(() => undefined);
  }

  override render() {
    return html`
      <div part="status" role="status" aria-live="polite">
        <slot name="status">
          <div part="device">${this.report ? describeDevice(this.report) : 'Checking this device…'}</div>
          ${this.renderRemote()}
          ${ROLE_LABELS.map(([role, label]) => this.renderModel(role, label))}
        </slot>
      </div>
      <slot></slot>
    `;
  }

  /** Text leaving the device is never silent: the host is named whenever an endpoint is set. */
  private renderRemote() {
    const host = this.engine.remoteHost;
    if (!host) return nothing;
    return html`<div part="remote" role="note">
      <strong>Text leaves this device.</strong> The language model runs on the server <strong>${host}</strong>
      (${this.engine.options.llmEndpoint}): prompts, and the visit's transcript and note sent with them, go to that host.
    </div>`;
  }

  private renderModel(role: ModelRole, label: string) {
    const state = this.models[role];
    const name = this.engine.slot(role).modelId;
    if (!name) return nothing;
    const progress = state.progress;
    const value = state.status === 'ready' ? 1 : (progress?.fraction ?? 0);
    const placement = state.placement;
    const where = !placement ? '' : placement.endpoint ? ` on the server ${new URL(placement.endpoint).host}` : ` on ${placement.backend.toUpperCase()} (${placement.dtype})`;
    return html`
      <div part="model" data-kind=${role} data-status=${state.status}>
        <span>${label}: <strong>${name}</strong></span>
        ${state.status === 'loading'
          ? html`<progress part="progress" max="1" .value=${value} aria-label="${label} loading"></progress>`
          : html`<span>${statusText(state.status)}${where}</span>`}
        ${state.status === 'loading' && progress ? html`<span class="model-detail">${describeProgress(progress)}</span>` : nothing}
        ${this.waitsForSpeech(role, state) ? html`<span class="model-detail">Starts once the speech model is ready</span>` : nothing}
        ${state.error ? html`<span part="error" role="alert">${state.error.message}</span>` : nothing}
      </div>
    `;
  }

  /** A language model whose load waits for the speech model (see `SlmEngine.load`). */
  private waitsForSpeech(role: ModelRole, state: ModelState): boolean {
    return (role === 'llm' || role === 'small') && state.status === 'loading' && !state.progress && this.models.asr.status === 'loading';
  }

  private syncEngine(): void {
    const manifest = { auto: 'auto', on: true, off: false } as const;
    const models = {
      llm: this.llm,
      asr: this.asr,
      smallLlm: this.smallLlm,
      asrPreview: this.asrPreview,
      modelHost: this.modelHost,
      device: this.device,
      llmDtype: this.llmDtype,
      asrDtype: this.asrDtype,
      loadPolicy: this.loadPolicy,
      webllmWorker: this.webllmWorker,
      integrity: this.integrity ?? {},
      integrityManifest: manifest[this.integrityManifest] ?? 'auto',
    };
    try {
      this.engine.configure({ stallLimits: this.stallLimits ?? {} });
    } catch (error) {
      // A limit that is no number of milliseconds: the defaults stay, and the page is told why.
      this.reportError(error, { code: 'invalid-argument' });
    }
    try {
      this.engine.configure({ recycleLimits: this.recycleLimits ?? {} });
    } catch (error) {
      this.reportError(error, { code: 'invalid-argument' });
    }
    try {
      this.engine.configure({ ...models, llmEndpoint: this.llmEndpoint, llmApiKey: this.llmApiKey });
    } catch (error) {
      // A malformed endpoint: the models stay on this device, and the page is told why.
      this.engine.configure({ ...models, llmEndpoint: null });
      this.reportError(error, { code: 'invalid-argument', kind: 'llm' });
    }
    this.refreshModels();
  }

  private refreshModels(): void {
    this.models = this.currentModels();
  }

  private currentModels(): Record<ModelRole, ModelState> {
    return Object.fromEntries(ROLE_LABELS.map(([role]) => [role, this.engine.state(role)])) as Record<ModelRole, ModelState>;
  }
}

const engineProperties = ['llm', 'asr', 'smallLlm', 'asrPreview', 'modelHost', 'device', 'llmDtype', 'asrDtype', 'llmEndpoint', 'llmApiKey', 'loadPolicy', 'webllmWorker', 'integrity', 'integrityManifest', 'stallLimits', 'recycleLimits'] as const;
const configChanged = (changed: PropertyValues<SlmProvider>) => engineProperties.some((name) => changed.has(name));

function statusText(status: ModelState['status']): string {
  return { idle: 'Not loaded', loading: 'Loading', ready: 'Ready', error: 'Failed' }[status];
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-provider': SlmProvider;
  }
  interface HTMLElementEventMap {
    'slm-models-forgotten': CustomEvent<ModelsForgottenDetail>;
  }
}

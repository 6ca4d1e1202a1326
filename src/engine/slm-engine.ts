import { TranscriptStore } from '../audio/transcript-store.js';
import { LocalOpenAI } from '../openai/local-openai.js';
import { SlmError, isAbort } from '../errors/slm-error.js';
import type { AsrBackend, LlmBackend } from './backends/backend.js';
import { detectDevice } from './capabilities.js';
import { LoadProgressTracker } from './load-progress.js';
import { ModelCache } from './model-cache.js';
import { loadModelRegistry, type ModelRegistry } from './models/model-registry.js';
import { planPlacement } from './placement.js';
import { Scheduler, type TaskPriority } from './scheduler.js';
import type {
  ChatMessage,
  DevicePreference,
  DeviceReport,
  ErrorDetail,
  GenerateOptions,
  GenerationResult,
  LoadProgress,
  ModelHostConfig,
  ModelKind,
  ModelDtype,
  ModelPlacement,
  ModelPreset,
  PlacementPlan,
  ReadyDetail,
  TranscribeOptions,
  TranscriptionResult,
} from './types.js';

import { HUGGING_FACE_HUB } from './model-host.js';

export { HUGGING_FACE_HUB };

/** onnxruntime-web's WASM files, shipped beside the built package (never a CDN). */
export const PACKAGED_WASM_PATHS = new URL('../ort/', import.meta.url).href;

export interface SlmEngineOptions {
  /** LLM preset id (e.g. `phi-3.5-mini`) or full model id; null for none. */
  llm?: string | null;
  /** Speech preset id (e.g. `whisper-base`) or full model id; null for none. */
  asr?: string | null;
  /** Base URL of a Hugging Face–layout mirror; default the Hugging Face hub. */
  modelHost?: string;
  device?: DevicePreference;
  /** Where onnxruntime-web's `.wasm` files are served; default the package's own copy. */
  wasmPaths?: string;
  /**
   * Weight format of the LLM / speech model for Transformers.js (`fp32`, `fp16`, `q8`, `q4`,
   * `q4f16`), where a mirror carries only some of a repo's files; default: the planner's pick.
   */
  llmDtype?: ModelDtype | null;
  asrDtype?: ModelDtype | null;
  /** Keep model files in Cache Storage for offline reloads (default true). */
  useBrowserCache?: boolean;
  /**
   * A second, smaller LLM for quick answers (`generate(…, { model: 'small' })`), so the big
   * one only wakes for what needs it. Both share this engine's scheduler: never two
   * generations at once on one device.
   */
  smallLlm?: string | null;
  /**
   * A fast speech model for live partial hypotheses (`transcribe(…, { model: 'preview' })`,
   * e.g. `moonshine-tiny`) while `asr` writes the finals. Whisper reads every window as 30 s, so
   * on a CPU each of its partials costs seconds; Moonshine's cost follows the audio's length.
   * Shares this engine's scheduler: never two recognitions at once on one device.
   */
  asrPreview?: string | null;
  /** Replace how backends are made: tests use it to run WebLLM's code against a fake engine. */
  backendFactory?: BackendFactory;
}

export interface BackendFactory {
  llm?(placement: ModelPlacement): LlmBackend | Promise<LlmBackend>;
  asr?(placement: ModelPlacement): AsrBackend | Promise<AsrBackend>;
  /** The small LLM's backend; default: the `llm` factory. */
  smallLlm?(placement: ModelPlacement): LlmBackend | Promise<LlmBackend>;
}

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelState {
  status: ModelStatus;
  modelId: string | null;
  placement: ModelPlacement | null;
  progress: LoadProgress | null;
  error: SlmError | null;
}

export interface EngineGenerateOptions extends GenerateOptions {
  priority?: TaskPriority;
  /** `small` runs on the configured `smallLlm` (the main LLM when there is none). */
  model?: 'main' | 'small';
  /** Requests with the same key replace each other while queued (see `Scheduler`). */
  supersedeKey?: string;
  cancelRunning?: boolean;
}

export interface EngineTranscribeOptions extends TranscribeOptions {
  priority?: TaskPriority;
  /** `preview` runs on the configured `asrPreview` (the main speech model when there is none). */
  model?: 'main' | 'preview';
}

export interface SlmEngineEventMap {
  'slm-load-progress': CustomEvent<LoadProgress>;
  'slm-ready': CustomEvent<ReadyDetail>;
  'slm-error': CustomEvent<ErrorDetail>;
  'slm-state-change': CustomEvent<{ kind: ModelKind; state: ModelState }>;
  /** The preview speech model's state changed (status, progress, error): see `preview`. */
  'slm-preview-change': CustomEvent<{ state: ModelState }>;
}

interface LoadedModel<B> {
  backend: B;
  placement: ModelPlacement;
}

const idle = (): ModelState => ({ status: 'idle', modelId: null, placement: null, progress: null, error: null });

/**
 * The one engine a `<slm-provider>` shares with every element inside it: one model load,
 * one scheduler, many consumers. Usable without any element too.
 */
export class SlmEngine extends EventTarget {
  readonly cache = new ModelCache();
  /** The visit's transcript, shared by the transcriber, the note and the chat. */
  readonly transcript = new TranscriptStore();
  private config: Required<Omit<SlmEngineOptions, 'backendFactory'>>;
  private backendFactory: BackendFactory;
  private deviceReport: Promise<DeviceReport> | null = null;
  private readonly states: Record<ModelKind, ModelState> = { llm: idle(), asr: idle() };
  private readonly loading: Partial<Record<ModelKind, Promise<LoadedModel<LlmBackend | AsrBackend>>>> = {};
  private readonly loadAborts: Partial<Record<ModelKind, AbortController>> = {};
  private llmModel: LoadedModel<LlmBackend> | null = null;
  private asrModel: LoadedModel<AsrBackend> | null = null;
  private smallEngine: SlmEngine | null = null;
  private previewEngine: SlmEngine | null = null;
  private openaiApi: LocalOpenAI | null = null;
  readonly scheduler: Scheduler;

  constructor(options: SlmEngineOptions = {}, shared?: { scheduler: Scheduler; device: () => Promise<DeviceReport> }) {
    super();
    this.scheduler = shared?.scheduler ?? new Scheduler();
    if (shared) this.device = shared.device;
    this.backendFactory = options.backendFactory ?? {};
    this.config = {
      llm: options.llm ?? null,
      asr: options.asr ?? null,
      modelHost: options.modelHost ?? HUGGING_FACE_HUB,
      device: options.device ?? 'auto',
      wasmPaths: options.wasmPaths ?? PACKAGED_WASM_PATHS,
      llmDtype: options.llmDtype ?? null,
      asrDtype: options.asrDtype ?? null,
      useBrowserCache: options.useBrowserCache ?? true,
      smallLlm: options.smallLlm ?? null,
      asrPreview: options.asrPreview ?? null,
    };
  }

  /**
   * OpenAI's Chat Completions API over this engine's models:
   * `engine.openai.chat.completions.create({ messages, stream })`, and `engine.openai.fetch`
   * for the official client. Loads nothing until used.
   */
  get openai(): LocalOpenAI {
    this.openaiApi ??= new LocalOpenAI(this);
    return this.openaiApi;
  }

  /**
   * The engine of the small LLM, made on first use: same host, device and scheduler, its own
   * model slot. Null when no `smallLlm` is configured.
   */
  get small(): SlmEngine | null {
    if (!this.config.smallLlm) return null;
    this.smallEngine ??= new SlmEngine(
      { ...this.config, llm: this.config.smallLlm, asr: null, smallLlm: null, llmDtype: null, backendFactory: { llm: this.backendFactory.smallLlm ?? this.backendFactory.llm } },
      // One device report for both: measured once, and overridable in one place.
      { scheduler: this.scheduler, device: () => this.device() },
    );
    return this.smallEngine;
  }

  /**
   * The engine of the preview speech model, made on first use like `small`. Null when no
   * `asrPreview` is configured.
   */
  get preview(): SlmEngine | null {
    if (!this.config.asrPreview) return null;
    if (!this.previewEngine) {
      const preview = new SlmEngine(
        { ...this.config, llm: null, asr: this.config.asrPreview, smallLlm: null, asrPreview: null, asrDtype: null, backendFactory: { asr: this.backendFactory.asr } },
        { scheduler: this.scheduler, device: () => this.device() },
      );
      // Told apart from the main speech model's events, so a status panel can show both.
      const changed = () => {
        if (this.previewEngine === preview) this.dispatchEvent(new CustomEvent('slm-preview-change', { detail: { state: preview.state('asr') } }));
      };
      preview.addEventListener('slm-state-change', changed);
      preview.addEventListener('slm-load-progress', changed);
      this.previewEngine = preview;
    }
    return this.previewEngine;
  }

  get options(): Readonly<Required<Omit<SlmEngineOptions, 'backendFactory'>>> {
    return this.config;
  }

  /** The state of one model: status, placement, progress, last error. */
  state(kind: ModelKind): Readonly<ModelState> {
    return this.states[kind];
  }

  /**
   * Changes models or where they come from. A model whose configuration changed is
   * unloaded; it loads again on `load()` or first use.
   */
  configure(options: Omit<SlmEngineOptions, 'backendFactory'>): void {
    const before = this.config;
    this.config = { ...before, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    const shared = before.modelHost !== this.config.modelHost || before.device !== this.config.device || before.wasmPaths !== this.config.wasmPaths;
    if (shared || before.llm !== this.config.llm || before.llmDtype !== this.config.llmDtype) void this.unload('llm');
    if (shared || before.asr !== this.config.asr || before.asrDtype !== this.config.asrDtype) void this.unload('asr');
    if (shared || before.smallLlm !== this.config.smallLlm) {
      void this.smallEngine?.dispose();
      this.smallEngine = null;
    }
    if (shared || before.asrPreview !== this.config.asrPreview) {
      void this.previewEngine?.dispose();
      this.previewEngine = null;
    }
  }

  /**
   * Supplies the backends models load into, in place of the built-in WebLLM and
   * Transformers.js workers (Storybook's scripted engine and tests use it). Loaded models
   * are unloaded so the next use goes through the new backends.
   */
  useBackends(factory: BackendFactory): void {
    this.backendFactory = factory;
    void this.unload();
    void this.smallEngine?.dispose();
    this.smallEngine = null;
    void this.previewEngine?.dispose();
    this.previewEngine = null;
  }

  /** What this browser can do; measured once. */
  device(): Promise<DeviceReport> {
    this.deviceReport ??= detectDevice();
    return this.deviceReport;
  }

  registry(): Promise<ModelRegistry> {
    return loadModelRegistry();
  }

  /** Where each configured model would run on this device, without loading anything. */
  async plan(): Promise<PlacementPlan> {
    const [report, registry] = await Promise.all([this.device(), this.registry()]);
    return planPlacement(report, {
      llm: this.config.llm ? this.preset(registry, 'llm') : null,
      asr: this.config.asr ? this.preset(registry, 'asr') : null,
      device: this.config.device,
    });
  }

  /** Loads the configured models (or the ones named). Concurrent calls share one load. */
  async load(kinds: ModelKind[] = ['llm', 'asr']): Promise<void> {
    const wanted = kinds.filter((kind) => this.config[kind]);
    // The preview model loads alongside; if it cannot, the main model writes the partials too
    // (the speech pipeline reports that when it first needs one).
    if (kinds.includes('asr')) this.preview?.ensureLoaded('asr').catch(() => undefined);
    await Promise.all(wanted.map((kind) => this.ensureLoaded(kind)));
  }

  generate(messages: ChatMessage[], options: EngineGenerateOptions = {}): Promise<GenerationResult> {
    const { priority = 'chat', supersedeKey, cancelRunning, signal, model = 'main', ...rest } = options;
    if (model === 'small' && this.small) return this.small.generate(messages, { ...options, model: 'main' });
    return this.scheduler.schedule(
      async (taskSignal) => {
        const { backend } = (await this.ensureLoaded('llm')) as LoadedModel<LlmBackend>;
        return this.reportFailure('llm', backend.generate(messages, { ...rest, signal: taskSignal }));
      },
      { resource: 'llm', priority, signal, supersedeKey, cancelRunning, label: `generate:${priority}` },
    );
  }

  transcribe(audio: Float32Array, options: EngineTranscribeOptions = {}): Promise<TranscriptionResult> {
    const { priority = 'note', signal, model = 'main', ...rest } = options;
    if (model === 'preview' && this.preview) return this.preview.transcribe(audio, { ...options, model: 'main' });
    return this.scheduler.schedule(
      async (taskSignal) => {
        const { backend } = (await this.ensureLoaded('asr')) as LoadedModel<AsrBackend>;
        return this.reportFailure('asr', backend.transcribe(audio, { ...rest, signal: taskSignal }));
      },
      { resource: 'asr', priority, signal, label: `transcribe:${priority}` },
    );
  }

  async unload(kind?: ModelKind): Promise<void> {
    // Everything synchronous happens at once for every kind, so a load started right after
    // this call is never cancelled by the tail of it.
    const backends: Array<LlmBackend | AsrBackend> = [];
    for (const k of kind ? [kind] : (['llm', 'asr'] as const)) {
      this.loadAborts[k]?.abort();
      delete this.loading[k];
      const model = k === 'llm' ? this.llmModel : this.asrModel;
      if (k === 'llm') this.llmModel = null;
      else this.asrModel = null;
      if (this.states[k].status !== 'idle') this.setState(k, idle());
      if (model) backends.push(model.backend);
    }
    await Promise.all(backends.map((backend) => backend.unload()));
  }

  async dispose(): Promise<void> {
    this.scheduler.clear();
    await Promise.all([this.unload(), this.smallEngine?.dispose(), this.previewEngine?.dispose()]);
  }

  override addEventListener<K extends keyof SlmEngineEventMap>(
    type: K,
    listener: (event: SlmEngineEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  /** The loaded model of a kind, loading it first if needed. */
  ensureLoaded(kind: ModelKind): Promise<LoadedModel<LlmBackend | AsrBackend>> {
    const loaded = kind === 'llm' ? this.llmModel : this.asrModel;
    if (loaded) return Promise.resolve(loaded);
    const pending = this.loading[kind];
    if (pending) return pending;
    const promise = this.loadModel(kind).finally(() => {
      if (this.loading[kind] === promise) delete this.loading[kind];
    });
    this.loading[kind] = promise;
    return promise;
  }

  private async loadModel(kind: ModelKind): Promise<LoadedModel<LlmBackend | AsrBackend>> {
    const requested = this.config[kind];
    const abort = new AbortController();
    this.loadAborts[kind] = abort;
    this.setState(kind, { ...idle(), status: 'loading', modelId: requested });
    const started = performance.now();
    try {
      if (!requested) throw new SlmError('not-loaded', `No ${kind === 'llm' ? 'language' : 'speech'} model is configured.`);
      const [report, registry] = await Promise.all([this.device(), this.registry()]);
      const preset = this.preset(registry, kind);
      const plan = planPlacement(report, { llm: kind === 'llm' ? preset : null, asr: kind === 'asr' ? preset : null, device: this.config.device });
      const placement = plan[kind]!;
      const tracker = new LoadProgressTracker(kind, placement.modelId);
      const backend = await this.createBackend(placement);
      this.setState(kind, { ...this.states[kind], placement, progress: tracker.snapshot() });
      await backend.load({
        placement,
        host: this.hostConfig(),
        signal: abort.signal,
        onProgress: (raw) => this.emitProgress(kind, tracker.update(raw)),
      });
      if (abort.signal.aborted) throw new SlmError('aborted', 'Loading was cancelled.');
      const model = { backend, placement } as LoadedModel<LlmBackend & AsrBackend>;
      if (kind === 'llm') this.llmModel = model;
      else this.asrModel = model;
      this.emitProgress(kind, tracker.ready());
      this.setState(kind, { ...this.states[kind], status: 'ready', error: null });
      this.emit('slm-ready', { kind, placement, loadMs: performance.now() - started });
      return model;
    } catch (caught) {
      const error = caught instanceof SlmError ? caught : new SlmError('model-load-failed', String(caught), { cause: caught });
      if (!abort.signal.aborted) {
        this.setState(kind, { ...this.states[kind], status: 'error', error });
        this.emitError(error, kind);
      }
      throw error;
    } finally {
      if (this.loadAborts[kind] === abort) delete this.loadAborts[kind];
    }
  }

  /** The configured model's preset, with the weight format the configuration insists on. */
  private preset(registry: ModelRegistry, kind: ModelKind): ModelPreset {
    const preset = registry.resolve(kind, this.config[kind]!);
    const dtype = kind === 'llm' ? this.config.llmDtype : this.config.asrDtype;
    return dtype ? { ...preset, dtypes: { webgpu: dtype, wasm: dtype, webnn: dtype } } : preset;
  }

  private async createBackend(placement: ModelPlacement): Promise<LlmBackend | AsrBackend> {
    if (placement.kind === 'asr') {
      if (this.backendFactory.asr) return this.backendFactory.asr(placement);
      const { TransformersAsrBackend } = await import('./backends/transformers-backend.js');
      return new TransformersAsrBackend();
    }
    if (this.backendFactory.llm) return this.backendFactory.llm(placement);
    if (placement.runtime === 'webllm') {
      const { WebLlmBackend } = await import('./backends/webllm-backend.js');
      return new WebLlmBackend();
    }
    const { TransformersLlmBackend } = await import('./backends/transformers-backend.js');
    return new TransformersLlmBackend();
  }

  private hostConfig(): ModelHostConfig {
    return { host: this.config.modelHost, wasmPaths: this.config.wasmPaths, useBrowserCache: this.config.useBrowserCache };
  }

  /** Failures while using a loaded model reach listeners too; cancellations are not failures. */
  private async reportFailure<T>(kind: ModelKind, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof SlmError && !isAbort(error)) {
        this.emitError(error, kind);
        // A lost GPU or crashed worker leaves nothing usable: the next call loads afresh.
        if (error.code === 'device-lost' || error.code === 'worker-crashed') void this.unload(kind);
      }
      throw error;
    }
  }

  private setState(kind: ModelKind, state: ModelState): void {
    this.states[kind] = state;
    this.emit('slm-state-change', { kind, state });
  }

  private emitProgress(kind: ModelKind, progress: LoadProgress): void {
    this.states[kind] = { ...this.states[kind], progress };
    this.emit('slm-load-progress', progress);
  }

  private emitError(error: SlmError, kind?: ModelKind): void {
    this.emit('slm-error', { error, code: error.code, message: error.message, ...(kind ? { kind } : {}) });
  }

  private emit<K extends keyof SlmEngineEventMap>(type: K, detail: SlmEngineEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

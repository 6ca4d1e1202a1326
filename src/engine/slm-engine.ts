import { SlmError } from '../errors/slm-error.js';
import { LocalOpenAI } from './openai/local-openai.js';
import type { AsrBackend, EmbedBackend, LlmBackend, ModelBackend } from './backends/backend.js';
import { detectDevice } from './capabilities.js';
import { ModelCache } from './model-cache.js';
import { KIND_OF_ROLE, ModelSlot, type SlotEventDetails, type SlotHost } from './model-slot.js';
import { loadModelRegistry, type ModelRegistry } from './models/model-registry.js';
import { planPlacement } from './placement.js';
import { Scheduler, type TaskPriority } from './scheduler.js';
import type { PrefixImport } from './workers/protocol.js';
import type { PrefixPrecision, PrefixRecord } from './workers/prefix-record.js';
import type {
  ChatMessage,
  DevicePreference,
  DeviceReport,
  EmbedOptions,
  ErrorDetail,
  GenerateOptions,
  GenerationResult,
  LoadProgress,
  ModelHostConfig,
  ModelDtype,
  ModelPlacement,
  ModelPreset,
  ModelRole,
  ModelState,
  PlacementPlan,
  ReadyDetail,
  StateChangeDetail,
  TranscribeOptions,
  TranscriptionResult,
} from './types.js';

import { HUGGING_FACE_HUB } from './model-host.js';
import { ortPaths } from './ort-files.js';

export { HUGGING_FACE_HUB };
export type { ModelState, ModelStatus } from './types.js';


export interface SlmEngineOptions {
  /** LLM preset id (e.g. `phi-3.5-mini`) or full model id; null for none. */
  llm?: string | null;
  /** Speech preset id (e.g. `whisper-base`) or full model id; null for none. */
  asr?: string | null;
  /** Base URL of a Hugging Face–layout mirror; default the Hugging Face hub. */
  modelHost?: string;
  device?: DevicePreference;
  /**
   * A folder URL (ending in `/`) where the app serves onnxruntime-web's `dist/` files itself;
   * default null: the package's own copies, which app bundlers emit (see `PACKAGED_ORT_FILES`).
   */
  wasmPaths?: string | null;
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
  /**
   * A Transformers.js sentence embedder (feature extraction, e.g. `Xenova/all-MiniLM-L6-v2`)
   * for `embed()`; `<slm-chat>`'s router sets it to its `router-model`. Runs on WASM.
   */
  embed?: string | null;
  /** Weight format of the embedding model; default `fp32`. */
  embedDtype?: ModelDtype | null;
  /**
   * The base URL (`https://…/v1`) of an OpenAI-compatible server the clinic runs (vLLM,
   * llama.cpp's server, Ollama) that then serves the language models, `llm` and `smallLlm`
   * naming models on it. Prompts, and the visit sent with them, leave the device for this one
   * host; nothing else does. Default none: every model runs on this device.
   */
  llmEndpoint?: string | null;
  /**
   * `auto` (default): a model loads on `load()` and also on first use (a chat message may
   * download the router's embedding model, a recording the speech model). `explicit`: only
   * `load()` starts a load (so no model file is fetched before the app asks); anything else
   * that needs an unloaded model fails with `load-not-allowed`, and the chat's router falls
   * back to its rules.
   */
  loadPolicy?: LoadPolicy;
  /**
   * Where WebLLM runs: `dedicated` (default), a worker of this page; `service`, a service
   * worker shared by every tab of the origin, so a reload reconnects to the model (and its
   * cache) still loaded there instead of loading it again. One engine for all tabs: their
   * generations queue behind each other. Transformers.js models are unaffected.
   */
  webllmWorker?: 'dedicated' | 'service';
  /** Replace how backends are made: tests use it to run WebLLM's code against a fake engine. */
  backendFactory?: BackendFactory;
}

/** Who may start a model load: see `SlmEngineOptions.loadPolicy`. */
export type LoadPolicy = 'auto' | 'explicit';

export interface BackendFactory {
  llm?(placement: ModelPlacement): LlmBackend | Promise<LlmBackend>;
  /** The speech models' backend (`asr` and `preview`). */
  asr?(placement: ModelPlacement): AsrBackend | Promise<AsrBackend>;
  /** The small LLM's backend; default: the `llm` factory. */
  smallLlm?(placement: ModelPlacement): LlmBackend | Promise<LlmBackend>;
  embed?(placement: ModelPlacement): EmbedBackend | Promise<EmbedBackend>;
}

export interface EngineGenerateOptions extends GenerateOptions {
  /** Default `normal`. */
  priority?: TaskPriority;
  /** `small` runs on the configured `smallLlm` (the main LLM when there is none). */
  model?: 'main' | 'small';
  /** Requests with the same key replace each other while queued (see `Scheduler`). */
  supersedeKey?: string;
  cancelRunning?: boolean;
}

export interface EngineTranscribeOptions extends TranscribeOptions {
  /** Default `interactive`. */
  priority?: TaskPriority;
  /** `preview` runs on the configured `asrPreview` (the main speech model when there is none). */
  model?: 'main' | 'preview';
}

export interface EngineEmbedOptions extends EmbedOptions {
  /** Default `normal`. */
  priority?: TaskPriority;
}

export interface SlmEngineEventMap {
  'slm-load-progress': CustomEvent<LoadProgress>;
  'slm-ready': CustomEvent<ReadyDetail>;
  'slm-error': CustomEvent<ErrorDetail>;
  /** One slot's state changed (status, placement, progress, error); `detail.role` says which. */
  'slm-state-change': CustomEvent<StateChangeDetail>;
  /** Something worth knowing while debugging that changes no result (a stored cache refused, and why). */
  'slm-debug': CustomEvent<DebugDetail>;
}

export interface DebugDetail {
  kind: 'prefix-refused';
  message: string;
}

/** The backend each role's slot holds. */
interface RoleBackends {
  llm: LlmBackend;
  small: LlmBackend;
  asr: AsrBackend;
  preview: AsrBackend;
  embed: EmbedBackend;
}

type Slots = { [R in ModelRole]: ModelSlot<RoleBackends[R]> };

const ROLES: readonly ModelRole[] = ['llm', 'small', 'asr', 'preview', 'embed'];

type EngineConfig = Required<Omit<SlmEngineOptions, 'backendFactory'>>;

/** Each role's model and weight format in the configuration. */
const slotConfig = (config: EngineConfig): Record<ModelRole, [string | null, ModelDtype | null]> => ({
  llm: [config.llm, config.llmDtype],
  small: [config.smallLlm, null],
  asr: [config.asr, config.asrDtype],
  preview: [config.asrPreview, null],
  embed: [config.embed, config.embedDtype],
});

/**
 * The one engine a `<slm-provider>` shares with every element inside it: one model load,
 * one scheduler, many consumers. Usable without any element too.
 */
export class SlmEngine extends EventTarget {
  readonly cache = new ModelCache();
  private config: EngineConfig;
  private backendFactory: BackendFactory;
  private deviceReport: Promise<DeviceReport> | null = null;
  private readonly slots: Slots;
  private openaiApi: LocalOpenAI | null = null;
  readonly scheduler = new Scheduler();

  constructor(options: SlmEngineOptions = {}) {
    super();
    this.backendFactory = options.backendFactory ?? {};
    this.config = {
      llm: options.llm ?? null,
      asr: options.asr ?? null,
      modelHost: options.modelHost ?? HUGGING_FACE_HUB,
      device: options.device ?? 'auto',
      wasmPaths: options.wasmPaths ?? null,
      llmDtype: options.llmDtype ?? null,
      asrDtype: options.asrDtype ?? null,
      useBrowserCache: options.useBrowserCache ?? true,
      smallLlm: options.smallLlm ?? null,
      asrPreview: options.asrPreview ?? null,
      embed: options.embed ?? null,
      embedDtype: options.embedDtype ?? null,
      llmEndpoint: checkEndpoint(options.llmEndpoint ?? null),
      loadPolicy: options.loadPolicy ?? 'auto',
      webllmWorker: options.webllmWorker ?? 'dedicated',
    };
    const host: SlotHost = {
      place: (slot) => this.place(slot),
      createBackend: (slot, placement) => this.createBackend(slot.role, placement),
      hostConfig: () => this.hostConfig(),
      implicitLoads: () => this.config.loadPolicy !== 'explicit',
      emit: (type, detail) => this.emit(type, detail),
    };
    this.slots = {
      llm: new ModelSlot('llm', host),
      small: new ModelSlot('small', host),
      asr: new ModelSlot('asr', host),
      preview: new ModelSlot('preview', host),
      embed: new ModelSlot('embed', host),
    };
    const configured = slotConfig(this.config);
    for (const role of ROLES) this.slots[role].configure(...configured[role]);
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

  get options(): Readonly<EngineConfig> {
    return this.config;
  }

  /**
   * The host text leaves the device for, when the language models run on a server
   * (`llmEndpoint`); null when everything runs here. For notices: show it to the user.
   */
  get remoteHost(): string | null {
    return this.config.llmEndpoint ? new URL(this.config.llmEndpoint).host : null;
  }

  /** One model slot: its configured model, weight format and state. */
  slot(role: ModelRole): ModelSlot {
    return this.slots[role];
  }

  /** Whether a model is configured for a role (e.g. `has('small')` before routing to it). */
  has(role: ModelRole): boolean {
    return this.slots[role].configured;
  }

  /** The state of one slot: status, placement, progress, last error. */
  state(role: ModelRole): Readonly<ModelState> {
    return this.slots[role].state;
  }

  /**
   * Changes models or where they come from. A model whose configuration changed is
   * unloaded; it loads again on `load()` or first use.
   */
  configure(options: Omit<SlmEngineOptions, 'backendFactory'>): void {
    const before = this.config;
    const next = { ...before, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as EngineConfig;
    next.llmEndpoint = checkEndpoint(next.llmEndpoint || null);
    this.config = next;
    const shared =
      before.modelHost !== next.modelHost || before.device !== next.device || before.wasmPaths !== next.wasmPaths || before.webllmWorker !== next.webllmWorker;
    const moved = before.llmEndpoint !== next.llmEndpoint;
    const configured = slotConfig(this.config);
    for (const role of ROLES) {
      const slot = this.slots[role];
      if (!slot.configure(...configured[role]) && (shared || (moved && slot.kind === 'llm'))) void slot.unload();
    }
    // Where text goes changed even for a slot that was idle: whoever shows it must hear of it.
    if (moved) for (const role of ['llm', 'small'] as const) this.emit('slm-state-change', { role, state: this.slots[role].state });
  }

  /**
   * Supplies the backends models load into, in place of the built-in WebLLM and
   * Transformers.js workers (Storybook's scripted engine and tests use it). Loaded models
   * are unloaded so the next use goes through the new backends.
   */
  useBackends(factory: BackendFactory): void {
    this.backendFactory = factory;
    void this.unload();
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
    const preset = (role: 'llm' | 'asr' | 'embed') => (this.has(role) ? this.preset(registry, this.slots[role]) : null);
    const endpoint = this.config.llmEndpoint;
    const plan = planPlacement(report, { llm: endpoint ? null : preset('llm'), asr: preset('asr'), embed: preset('embed'), device: this.config.device });
    // A model on the server takes nothing of this device: the speech model is placed as if there were none.
    if (endpoint && this.has('llm')) plan.llm = remotePlacement(this.slots.llm.modelId!, endpoint);
    return plan;
  }

  /**
   * Loads the configured models of the roles named (default `llm` and `asr`). Concurrent
   * calls share one load. The `small` and `embed` models load on first use (under the
   * `explicit` load policy, only when named here).
   */
  async load(roles: ModelRole[] = ['llm', 'asr']): Promise<void> {
    const wanted = roles.filter((role) => this.has(role));
    const speech = wanted.filter((role) => KIND_OF_ROLE[role] === 'asr');
    const loads = speech.map((role) => this.slots[role].load(true));
    // The preview model loads alongside; if it cannot, the main model writes the partials too
    // (the speech pipeline reports that when it first needs one).
    const preview = speech.includes('asr') && !speech.includes('preview') && this.has('preview');
    if (preview) this.slots.preview.load(true).catch(() => undefined);
    // Speech first: on a phone link the two downloads would share the bandwidth, and on a small
    // CPU the language model's download and session would slow the speech model's own, so the
    // first words would wait for both (measured: `npm run bench:load`). The instant draft covers
    // the note until the language model is in; it loads once the speech model is ready (or has
    // failed). A model on the clinic's server fetches nothing and need not wait.
    const fetching: ModelRole[] = preview ? [...speech, 'preview'] : speech;
    const speechSettled = fetching.length > 0 && !this.config.llmEndpoint ? this.settled(fetching) : undefined;
    for (const role of wanted) if (KIND_OF_ROLE[role] !== 'asr') loads.push(this.slots[role].load(true, KIND_OF_ROLE[role] === 'llm' ? speechSettled : undefined));
    await Promise.all(loads);
  }

  /** Resolves once none of `roles` is loading: each is ready, failed, or not loading at all. */
  private settled(roles: ModelRole[]): Promise<void> {
    const done = () => roles.every((role) => this.slots[role].state.status !== 'loading');
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        this.removeEventListener('slm-state-change', check);
        resolve();
      };
      this.addEventListener('slm-state-change', check);
      check();
    });
  }

  /**
   * Loads one role's model, if it is not loaded yet; resolves to where it runs. Under the
   * `explicit` load policy it starts nothing: it waits for a load `load()` started, or
   * rejects with `load-not-allowed`.
   */
  ensureLoaded(role: ModelRole): Promise<ModelPlacement> {
    return this.slots[role].load();
  }

  generate(messages: ChatMessage[], options: EngineGenerateOptions = {}): Promise<GenerationResult> {
    const { priority = 'normal', supersedeKey, cancelRunning, signal, model = 'main', ...rest } = options;
    const slot = model === 'small' && this.has('small') ? this.slots.small : this.slots.llm;
    return this.scheduler.schedule((taskSignal) => slot.run((backend) => backend.generate(messages, { ...rest, signal: taskSignal })), {
      resource: 'llm',
      priority,
      signal,
      supersedeKey,
      cancelRunning,
      label: `generate:${slot.role === 'llm' ? '' : `${slot.role}:`}${priority}`,
    });
  }

  /**
   * The language model's memory of its newest prompt and answer (its key/value cache) as
   * bytes, to keep with a visit so the next question after a reload need not read the visit
   * again. Null where the backend keeps its cache to itself (WebLLM) or nothing was generated.
   * Runs in the background, after the model's other work.
   */
  exportPrefix(options: { cacheKey?: string; precision?: PrefixPrecision; signal?: AbortSignal } = {}): Promise<PrefixRecord | null> {
    if (!this.has('llm') || this.slots.llm.state.status !== 'ready') return Promise.resolve(null);
    const key = options.cacheKey ?? '';
    return this.scheduler.schedule((taskSignal) => this.slots.llm.run((backend) => (taskSignal.aborted || !backend.exportPrefix ? Promise.resolve(null) : backend.exportPrefix(key, options.precision))), {
      resource: 'llm',
      priority: 'background',
      signal: options.signal,
      label: 'export-prefix',
    });
  }

  /**
   * Gives the language model a cache kept by `exportPrefix()`. It is checked first (model,
   * revision, weight format, the hash of its tokens, its sizes) and refused with a reason when
   * anything differs; the next prompt is then read in full. A refusal is reported as an
   * `slm-debug` event, never an error: the answer still comes.
   */
  async importPrefix(record: PrefixRecord, options: { cacheKey?: string; signal?: AbortSignal } = {}): Promise<PrefixImport> {
    const key = options.cacheKey ?? '';
    const result = await this.scheduler.schedule(
      (taskSignal) =>
        this.slots.llm.run(async (backend) => {
          if (taskSignal.aborted) return { accepted: false, reason: 'the import was cancelled' };
          return backend.importPrefix ? backend.importPrefix(key, record) : { accepted: false, reason: 'this runtime keeps its cache to itself' };
        }),
      { resource: 'llm', priority: 'normal', signal: options.signal, label: 'import-prefix' },
    );
    if (!result.accepted) this.dispatchEvent(new CustomEvent('slm-debug', { detail: { kind: 'prefix-refused', message: `A stored model cache was not used: ${result.reason}.` } }));
    return result;
  }

  transcribe(audio: Float32Array, options: EngineTranscribeOptions = {}): Promise<TranscriptionResult> {
    const { priority = 'interactive', signal, model = 'main', ...rest } = options;
    const slot = model === 'preview' && this.has('preview') ? this.slots.preview : this.slots.asr;
    return this.scheduler.schedule((taskSignal) => slot.run((backend) => backend.transcribe(audio, { ...rest, signal: taskSignal })), {
      resource: 'asr',
      priority,
      signal,
      label: `transcribe:${slot.role === 'asr' ? '' : `${slot.role}:`}${priority}`,
    });
  }

  /**
   * Sentence vectors from the `embed` model, one per text, unit length (a dot product is the
   * cosine similarity). Queued on the engine's scheduler like every other model's work.
   */
  embed(texts: string[], options: EngineEmbedOptions = {}): Promise<Float32Array[]> {
    const { priority = 'normal', signal } = options;
    return this.scheduler.schedule((taskSignal) => this.slots.embed.run((backend) => backend.embed(texts, { signal: taskSignal })), {
      resource: 'embed',
      priority,
      signal,
      label: `embed:${priority}`,
    });
  }

  /** Unloads one role's model, or every model. */
  async unload(role?: ModelRole): Promise<void> {
    // Every slot lets go at once, so a load started right after this call is never cancelled by the tail of it.
    await Promise.all((role ? [role] : ROLES).map((r) => this.slots[r].unload()));
  }

  async dispose(): Promise<void> {
    this.scheduler.clear();
    await this.unload();
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

  private async place(slot: ModelSlot): Promise<ModelPlacement> {
    const endpoint = this.config.llmEndpoint;
    if (slot.kind === 'llm' && endpoint) return remotePlacement(slot.modelId!, endpoint);
    const [report, registry] = await Promise.all([this.device(), this.registry()]);
    const preset = this.preset(registry, slot);
    const plan = planPlacement(report, {
      llm: slot.kind === 'llm' ? preset : null,
      asr: slot.kind === 'asr' ? preset : null,
      embed: slot.kind === 'embed' ? preset : null,
      device: this.config.device,
    });
    return plan[slot.kind]!;
  }

  /** The configured model's preset, with the weight format the configuration insists on. */
  private preset(registry: ModelRegistry, slot: ModelSlot): ModelPreset {
    const preset = registry.resolve(slot.kind, slot.modelId!);
    const dtype = slot.dtype;
    return dtype ? { ...preset, dtypes: { webgpu: dtype, wasm: dtype, webnn: dtype } } : preset;
  }

  private async createBackend(role: ModelRole, placement: ModelPlacement): Promise<ModelBackend> {
    const factory = this.backendFactory;
    if (placement.kind === 'embed') {
      if (factory.embed) return factory.embed(placement);
      const { TransformersEmbedBackend } = await import('./backends/transformers-backend.js');
      return new TransformersEmbedBackend();
    }
    if (placement.kind === 'asr') {
      if (factory.asr) return factory.asr(placement);
      const { TransformersAsrBackend } = await import('./backends/transformers-backend.js');
      return new TransformersAsrBackend();
    }
    if (placement.runtime === 'openai' && placement.endpoint) {
      const { RemoteLlmBackend } = await import('./backends/remote-backend.js');
      return new RemoteLlmBackend(placement.endpoint);
    }
    const made = role === 'small' ? (factory.smallLlm ?? factory.llm) : factory.llm;
    if (made) return made(placement);
    if (placement.runtime === 'webllm') {
      const { WebLlmBackend } = await import('./backends/webllm-backend.js');
      return new WebLlmBackend({ worker: this.config.webllmWorker });
    }
    const { TransformersLlmBackend } = await import('./backends/transformers-backend.js');
    return new TransformersLlmBackend();
  }

  private hostConfig(): ModelHostConfig {
    return { host: this.config.modelHost, wasmPaths: ortPaths('asyncify', this.config.wasmPaths), useBrowserCache: this.config.useBrowserCache };
  }

  private emit<K extends keyof SlotEventDetails>(type: K, detail: SlotEventDetails[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** A language model on the server at `endpoint`: nothing to plan, the server chose where and how it runs. */
function remotePlacement(modelId: string, endpoint: string): ModelPlacement {
  const host = new URL(endpoint).host;
  const preset: ModelPreset = { id: modelId, kind: 'llm', label: modelId, runtime: 'openai', modelId, downloadBytes: 0, memoryBytes: 0, license: 'set by the server', goodFor: `answers from ${host}` };
  return {
    kind: 'llm',
    preset,
    runtime: 'openai',
    backend: 'server',
    dtype: 'server',
    modelId,
    endpoint,
    reason: `It runs on the server at ${host} (llm-endpoint): prompts, and the visit sent with them, leave this device for that host.`,
  };
}

/** The endpoint as given, if it is a web address; a typed error that says what is wrong otherwise. */
function checkEndpoint(endpoint: string | null): string | null {
  if (!endpoint) return null;
  let url: URL | null = null;
  try {
    url = new URL(endpoint);
  } catch {
    // Reported below with the value.
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new SlmError('invalid-argument', `llm-endpoint must be the web address of an OpenAI-compatible server, like https://llm.clinic.example/v1; got "${endpoint}".`);
  }
  return endpoint;
}

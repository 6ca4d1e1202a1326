import { SlmError } from '../errors/slm-error.js';
import { LocalOpenAI } from './openai/local-openai.js';
import type { AsrBackend, EmbedBackend, LlmBackend, ModelBackend } from './backends/backend.js';
import { detectDevice } from './capabilities.js';
import { ModelCache } from './model-cache.js';
import { presetPinsOf, type PresetPins } from './model-files/preset-pins.js';
import { KIND_OF_ROLE, ModelSlot, type SlotEventDetails, type SlotHost } from './model-slot.js';
import { loadModelRegistry, loadModelRegistryFor, type ModelRegistry } from './models/model-registry.js';
import { planPlacement } from './placement.js';
import { Scheduler, type TaskPriority } from './scheduler.js';
import type { PrefixImport } from './workers/protocol.js';
import type { StallLimits } from './workers/worker-client.js';
import { DEFAULT_RECYCLE_LIMITS, checkRecycleLimits, type RecycleLimits, type WorkerRecycledDetail } from './worker-recycling.js';
import type { IntegrityPins } from './model-files/integrity.js';
import type { RetryPolicy } from './model-files/model-fetch.js';
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
import { ortBuilds } from './ort-files.js';

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
   * A key the `llmEndpoint` server wants (vLLM's `--api-key`, a gateway's token), sent as
   * `Authorization: Bearer …` to that server only. Anyone who can open the page can read it:
   * give each user their own short-lived token (from your sign-in), never a shared secret.
   * Default none.
   */
  llmApiKey?: string | null;
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
  /**
   * SHA-256 pins of model files (Transformers.js models), by model id, then by the file's path
   * in the repo, in Subresource Integrity form:
   * `{ 'onnx-community/Qwen2.5-0.5B-Instruct': { 'onnx/model_q4.onnx': 'sha256-<base64>' } }`.
   * A downloaded file that does not match is refused (`model-integrity`) and never cached; a
   * cached one that no longer matches is deleted and fetched again.
   */
  integrity?: Readonly<Record<string, IntegrityPins>>;
  /**
   * Whether to ask the model host for `slm-integrity.json` beside each model's files (one
   * request per model, to the model host only) and hold the files to its pins. `auto`
   * (default): on for a self-hosted `modelHost`, off for the Hugging Face hub, which has none.
   * A host without the file pins nothing.
   */
  integrityManifest?: boolean | 'auto';
  /** How model file downloads are retried and resumed; default `DEFAULT_RETRY` (4 retries, 0.5 s doubling to 8 s). */
  downloadRetry?: Partial<RetryPolicy>;
  /**
   * How long, in milliseconds, a model worker may go without a word before it counts as dead
   * (`worker-crashed`) and is ended and recreated, per kind of call; default
   * `DEFAULT_STALL_LIMITS` (load 5 min, generate and transcribe 2 min, embed 1 min). WebLLM's
   * worker takes `generate`. Raise them for very slow devices; lower them to fail faster.
   */
  stallLimits?: Partial<StallLimits>;
  /**
   * When a speech model's worker (`asr`, `preview`) is replaced by a fresh one between
   * readings, the model reloaded from the cache: after its WebAssembly heap or its live GPU
   * buffers grew by more than so many bytes since its load, or after so many readings; 0 turns
   * a limit off. Default `DEFAULT_RECYCLE_LIMITS` (512 MiB each, no reading count). Long
   * dictations stay within the device's memory where the runtime leaks (Whisper on WebGPU).
   * Each replacement is an `slm-debug` event (`kind: 'worker-recycled'`).
   */
  recycleLimits?: Partial<RecycleLimits>;
  /** Replace how backends are made: tests use it to run WebLLM's code against a fake engine. */
  backendFactory?: BackendFactory;
}

/** Who may start a model load: see `SlmEngineOptions.loadPolicy`. */
export type LoadPolicy = 'auto' | 'explicit';

/** What the engine's configuration asks of every backend it makes; a factory passes it on where it can. */
export interface BackendSettings {
  /** The engine's `stallLimits`: how long a worker may stay silent before it counts as dead. */
  stallLimits: Partial<StallLimits>;
}

export interface BackendFactory {
  llm?(placement: ModelPlacement, settings: BackendSettings): LlmBackend | Promise<LlmBackend>;
  /** The speech models' backend (`asr` and `preview`). */
  asr?(placement: ModelPlacement, settings: BackendSettings): AsrBackend | Promise<AsrBackend>;
  /** The small LLM's backend; default: the `llm` factory. */
  smallLlm?(placement: ModelPlacement, settings: BackendSettings): LlmBackend | Promise<LlmBackend>;
  embed?(placement: ModelPlacement, settings: BackendSettings): EmbedBackend | Promise<EmbedBackend>;
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

/** What an `slm-debug` event says, by `kind`. */
export type DebugDetail = PrefixRefusedDetail | WorkerRecycledDetail;

export interface PrefixRefusedDetail {
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

/** GPU device losses under one model before `device="auto"` moves it to WASM for the session. */
export const GPU_LOSSES_BEFORE_WASM = 2;

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
  /** The models kept in Cache Storage: list, delete, verify and repair them. */
  readonly cache = new ModelCache(globalThis.caches, () => this.hostConfig(), () => this.presetPins());
  private config: EngineConfig;
  private backendFactory: BackendFactory;
  private deviceReport: Promise<DeviceReport> | null = null;
  private readonly slots: Slots;
  private openaiApi: LocalOpenAI | null = null;
  readonly scheduler = new Scheduler();
  /** Settles when the current `whileModelsHeld` work ends; `load()` waits for it. */
  private modelsHeld: Promise<void> | undefined;

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
      llmApiKey: options.llmApiKey || null,
      loadPolicy: options.loadPolicy ?? 'auto',
      webllmWorker: options.webllmWorker ?? 'dedicated',
      integrity: options.integrity ?? {},
      integrityManifest: options.integrityManifest ?? 'auto',
      downloadRetry: options.downloadRetry ?? {},
      stallLimits: checkStallLimits(options.stallLimits ?? {}),
      recycleLimits: checkRecycleLimits(options.recycleLimits ?? {}),
    };
    const host: SlotHost = {
      place: (slot) => this.place(slot),
      createBackend: (slot, placement) => this.createBackend(slot.role, placement),
      hostConfig: () => this.hostConfig(),
      implicitLoads: () => this.config.loadPolicy !== 'explicit',
      recycleLimits: () => ({ ...DEFAULT_RECYCLE_LIMITS, ...this.config.recycleLimits }),
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
    next.stallLimits = checkStallLimits(next.stallLimits);
    // Read at every reading: a change applies from the next one, without a reload.
    next.recycleLimits = checkRecycleLimits(next.recycleLimits);
    this.config = next;
    const files = (c: EngineConfig) => JSON.stringify([c.integrity, c.integrityManifest, c.downloadRetry, c.stallLimits]);
    const shared =
      before.modelHost !== next.modelHost ||
      before.device !== next.device ||
      before.wasmPaths !== next.wasmPaths ||
      before.webllmWorker !== next.webllmWorker ||
      files(before) !== files(next);
    // A new key reconnects the language models as a new endpoint does.
    const moved = before.llmEndpoint !== next.llmEndpoint || (before.llmApiKey || null) !== (next.llmApiKey || null);
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
    // A load asked for while the models' files are being deleted starts once they are gone.
    if (this.modelsHeld) await this.modelsHeld;
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
    const held = this.modelsHeld;
    return held ? held.then(() => this.slots[role].load()) : this.slots[role].load();
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

  /**
   * Runs `work` while no task starts (they queue: `Scheduler.holdWhile`) and no load begins
   * (`load()` and `ensureLoaded()` wait until it ends). Tasks already queued or running are left
   * to `work`: `forgetModels()` drops them and unloads before deleting the files.
   */
  whileModelsHeld<T>(work: () => Promise<T>): Promise<T> {
    const held = this.scheduler.holdWhile(work);
    const settled = (p: Promise<unknown> | undefined) => Promise.resolve(p).then(
      () => undefined,
      () => undefined,
    );
    // Overlapping holds: a load waits for every one of them.
    const done = Promise.all([settled(this.modelsHeld), settled(held)]).then(() => undefined);
    this.modelsHeld = done;
    void done.then(() => {
      if (this.modelsHeld === done) this.modelsHeld = undefined;
    });
    return held;
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
    const [report, registry] = await Promise.all([this.device(), loadModelRegistryFor(slot.kind)]);
    const preset = this.preset(registry, slot);
    // A GPU that keeps losing its device under this model: the rest of the session runs it on the processor.
    const gpuFailing = this.config.device === 'auto' && slot.gpuLossCount >= GPU_LOSSES_BEFORE_WASM;
    const plan = planPlacement(report, {
      llm: slot.kind === 'llm' ? preset : null,
      asr: slot.kind === 'asr' ? preset : null,
      embed: slot.kind === 'embed' ? preset : null,
      device: gpuFailing ? 'wasm' : this.config.device,
    });
    const placement = plan[slot.kind]!;
    if (!gpuFailing) return placement;
    return { ...placement, reason: `The GPU lost its device ${slot.gpuLossCount} times under this model in this session, so it runs on the processor until the page is reloaded. ${placement.reason}` };
  }

  /** The configured model's preset, with the weight format the configuration insists on. */
  private preset(registry: ModelRegistry, slot: ModelSlot): ModelPreset {
    const preset = registry.resolve(slot.kind, slot.modelId!);
    const dtype = slot.dtype;
    return dtype ? { ...preset, dtypes: { webgpu: dtype, wasm: dtype, webnn: dtype } } : preset;
  }

  private async createBackend(role: ModelRole, placement: ModelPlacement): Promise<ModelBackend> {
    const factory = this.backendFactory;
    const watch: BackendSettings = { stallLimits: this.config.stallLimits };
    if (placement.kind === 'embed') {
      if (factory.embed) return factory.embed(placement, watch);
      const { TransformersEmbedBackend } = await import('./backends/transformers-backend.js');
      return new TransformersEmbedBackend(undefined, watch);
    }
    if (placement.kind === 'asr') {
      if (factory.asr) return factory.asr(placement, watch);
      const { TransformersAsrBackend } = await import('./backends/transformers-backend.js');
      return new TransformersAsrBackend(undefined, watch);
    }
    if (placement.runtime === 'openai' && placement.endpoint) {
      const { RemoteLlmBackend } = await import('./backends/remote-backend.js');
      return new RemoteLlmBackend(placement.endpoint, { apiKey: this.config.llmApiKey });
    }
    const made = role === 'small' ? (factory.smallLlm ?? factory.llm) : factory.llm;
    if (made) return made(placement, watch);
    if (placement.runtime === 'webllm') {
      const { WebLlmBackend } = await import('./backends/webllm-backend.js');
      return new WebLlmBackend({ worker: this.config.webllmWorker, stallMs: this.config.stallLimits.generate });
    }
    const { TransformersLlmBackend } = await import('./backends/transformers-backend.js');
    return new TransformersLlmBackend(undefined, watch);
  }

  /** The pins of the configured models' presets (as loaded, or as configured before a load), for `cache`. */
  private async presetPins(): Promise<PresetPins[]> {
    const found: PresetPins[] = [];
    for (const slot of Object.values(this.slots)) {
      if (!slot.modelId) continue;
      try {
        const registry = await loadModelRegistryFor(slot.kind);
        const preset: ModelPreset = slot.state.placement?.preset ?? registry.resolve(slot.kind, slot.modelId);
        const pins = presetPinsOf(preset, (id) => registry.webLlmRecord(id)?.model);
        if (pins) found.push(pins);
      } catch {
        // A model the registry does not know pins nothing here; its load says why it is unknown.
      }
    }
    return found;
  }

  private hostConfig(): ModelHostConfig {
    const { modelHost, integrity, integrityManifest, downloadRetry } = this.config;
    return {
      host: modelHost,
      wasmPaths: ortBuilds(this.config.wasmPaths),
      useBrowserCache: this.config.useBrowserCache,
      integrity,
      integrityManifest: integrityManifest === 'auto' ? modelHost.replace(/\/+$/, '') !== HUGGING_FACE_HUB : integrityManifest,
      retry: downloadRetry,
    };
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

/** The limits as given, if each is a positive number of milliseconds; a typed error naming the wrong one otherwise. */
function checkStallLimits(limits: Partial<StallLimits>): Partial<StallLimits> {
  for (const [call, ms] of Object.entries(limits)) {
    if (ms !== undefined && !(typeof ms === 'number' && ms > 0 && Number.isFinite(ms))) {
      throw new SlmError('invalid-argument', `stallLimits.${call} must be a positive number of milliseconds; got ${String(ms)}.`);
    }
  }
  return limits;
}

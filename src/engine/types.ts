import type { OrtBuild, OrtFiles } from './ort-files.js';
import type { IntegrityPins } from './model-files/integrity.js';
import type { RetryPolicy } from './model-files/model-fetch.js';
import type { SlmError } from '../errors/slm-error.js';

/** Where a model's arithmetic runs; `server` is the OpenAI-compatible server at `llm-endpoint`, off this device. */
export type ComputeBackend = 'webgpu' | 'wasm' | 'webnn-npu' | 'webnn-gpu' | 'webnn-cpu' | 'server';

/** Which library runs a model; `openai` is a remote server speaking OpenAI's Chat Completions protocol. */
export type ModelRuntime = 'webllm' | 'transformers' | 'openai';

/** Weight formats. WebLLM names them q4f16_1 / q4f32_1; Transformers.js names them dtype. */
export type ModelDtype = 'q4f16' | 'q4f32' | 'q4' | 'q8' | 'fp16' | 'fp32';

/** What the `device` attribute asks for. */
export type DevicePreference = 'auto' | 'webgpu' | 'wasm';

/** What a model does: writes text, recognises speech, or turns text into vectors. */
export type ModelKind = 'llm' | 'asr' | 'embed';

/**
 * The engine's model slots. `small` is a second language model for quick answers, `preview` a
 * fast speech model for live partials, `embed` a sentence embedder (the chat's router).
 */
export type ModelRole = 'llm' | 'small' | 'asr' | 'preview' | 'embed';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

/** One slot's state: status, where its model runs, load progress, last error. */
export interface ModelState {
  status: ModelStatus;
  modelId: string | null;
  placement: ModelPlacement | null;
  progress: LoadProgress | null;
  error: SlmError | null;
}

/** What this browser on this machine can do, measured once per engine. */
export interface DeviceReport {
  webgpu: {
    available: boolean;
    /** Adapter identity, when an adapter was granted. */
    adapter: { vendor: string; architecture: string; description: string } | null;
    /** True for software adapters such as SwiftShader: usable but slow. */
    isFallbackAdapter: boolean;
    features: string[];
    shaderF16: boolean;
    limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  };
  webnn: { available: boolean; deviceTypes: Array<'cpu' | 'gpu' | 'npu'> };
  wasm: { threads: boolean; simd: boolean };
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** `navigator.deviceMemory` in GiB (Chromium caps it at 8); null where the browser hides it. */
  deviceMemoryGB: number | null;
  storage: { quotaBytes: number | null; usageBytes: number | null; persisted: boolean | null };
}

/** A curated model the elements know by a short id, with the facts a picker shows. */
export interface ModelPreset {
  /** Short id used in the `llm` / `asr` attributes, e.g. `phi-3.5-mini`. */
  id: string;
  kind: ModelKind;
  label: string;
  runtime: ModelRuntime;
  /**
   * The id the runtime loads: a WebLLM `model_id` (its q4f16 variant when one exists),
   * or a Hugging Face repo id for Transformers.js.
   */
  modelId: string;
  /** WebLLM only: the q4f32 variant's `model_id`, for GPUs without `shader-f16`. */
  modelIdF32?: string;
  /** A Transformers.js repo that can stand in on WASM where WebLLM cannot run. */
  fallbackModelId?: string;
  /** Approximate download, in bytes. */
  downloadBytes: number;
  /** Approximate memory the loaded model needs (GPU memory for WebGPU), in bytes. */
  memoryBytes: number;
  license: string;
  goodFor: string;
  /** WebGPU features the preferred variant needs (from WebLLM's records). */
  requiredFeatures?: string[];
  /** WebLLM's flag for models meant to run on small devices. */
  lowResource?: boolean;
  /** Speech models: can it recognise languages other than English and translate? */
  multilingual?: boolean;
  /**
   * Fixed weight formats per backend, for repos that publish only some (the test fixtures
   * ship fp32 only). Where absent the planner picks from the device's capabilities.
   */
  dtypes?: Partial<Record<'webgpu' | 'wasm' | 'webnn', ModelDtype>>;
  /**
   * SHA-256 pins of the model's files (Transformers.js models), by path in the repo:
   * `{ 'onnx/model_q4.onnx': 'sha256-<base64>' }`. A file that does not match is refused.
   */
  integrity?: IntegrityPins;
}

/** Where and how one model runs: the planner's answer for that model. */
export interface ModelPlacement {
  kind: ModelKind;
  preset: ModelPreset;
  runtime: ModelRuntime;
  backend: ComputeBackend;
  /** The weight format; `server` when the server at `llm-endpoint` chose it. */
  dtype: ModelDtype | 'server';
  /** The exact id handed to the runtime (variant chosen for dtype and runtime). */
  modelId: string;
  /** The server's base URL, when the model runs off this device (`runtime` `openai`). */
  endpoint?: string;
  /** One sentence a person can read on why it runs there. */
  reason: string;
}

export interface PlacementPlan {
  llm: ModelPlacement | null;
  asr: ModelPlacement | null;
  /** The sentence embedder, when one was asked for. */
  embed?: ModelPlacement | null;
  /** Things worth telling the user that do not stop loading (slow fallback adapter, tight memory). */
  warnings: string[];
}

export interface PlacementRequest {
  llm: ModelPreset | null;
  asr: ModelPreset | null;
  embed?: ModelPreset | null;
  device: DevicePreference;
}

/** Progress of one file of one model. */
export interface FileProgress {
  file: string;
  loadedBytes: number;
  /** 0 while unknown. */
  totalBytes: number;
  done: boolean;
}

export type LoadPhase = 'download' | 'compile' | 'warmup' | 'ready';

/** Detail of `slm-load-progress`: everything a progress bar needs. */
export interface LoadProgress {
  kind: ModelKind;
  /** The engine's slot the model loads into (set by the engine). */
  role?: ModelRole;
  modelId: string;
  phase: LoadPhase;
  files: FileProgress[];
  loadedBytes: number;
  totalBytes: number;
  /** 0..1 over the whole load. */
  fraction: number;
  /** Seconds left, estimated from the download rate so far; null until it can be estimated. */
  etaSeconds: number | null;
  /** Free text from the runtime (WebLLM reports its steps this way). */
  text?: string;
  /**
   * Set while a request of this load failed (no answer, or a busy host's 5xx/429) and waits to be
   * tried again: which file, and which retry of how many (the latest, when several wait). Gone
   * once that file's bytes flow again, or, for WebLLM, which reports steps rather than files, at
   * its next report.
   */
  retrying?: { file: string; attempt: number; of: number };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  maxTokens?: number;
  temperature?: number;
  /** Constrain the output to JSON matching this schema (WebLLM grammar; validated elsewhere). */
  jsonSchema?: object;
  signal?: AbortSignal;
  /** Called with each piece of text as it is produced. */
  onToken?: (text: string) => void;
  /**
   * False makes the model read the whole prompt even where the cache of an earlier prompt
   * begins the same way (for comparisons; the output is the same either way).
   */
  reusePrefix?: boolean;
  /**
   * Whose prompt this is, usually the visit id. The model's memory of a prompt (its key/value
   * cache) is reused and exported only under the same key, so one visit's words never travel
   * with another's. Default: one shared key.
   */
  cacheKey?: string;
}

export interface GenerationStats {
  promptTokens: number;
  /**
   * Prompt tokens the model did not read again because a cached prompt began the same way
   * (Transformers.js only; WebLLM reuses its cache internally and reports 0).
   */
  cachedPromptTokens?: number;
  completionTokens: number;
  /** Milliseconds from the request to the first token. */
  timeToFirstTokenMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

export interface GenerationResult {
  text: string;
  finishReason: 'stop' | 'length' | 'abort';
  stats: GenerationStats;
}

export interface TranscribeOptions {
  language?: string;
  task?: 'transcribe' | 'translate';
  signal?: AbortSignal;
  /**
   * The reading so far, the whole of it each time, as the model decodes it: a long window shows
   * its first words while the rest is read. Not every backend streams (a remote server answers
   * at once); the result's `text` is what counts.
   */
  onText?: (textSoFar: string) => void;
}

export interface TranscriptionResult {
  text: string;
  /** Seconds of audio. */
  durationSeconds: number;
  /** Milliseconds the model took. */
  elapsedMs: number;
}

/** Where model files come from. */
export interface ModelHostConfig {
  /**
   * Base URL of a Hugging Face–layout host: files are fetched from
   * `{host}/{modelId}/resolve/main/{file}`. Default: the Hugging Face hub.
   */
  host: string;
  /**
   * onnxruntime-web's `.mjs`/`.wasm` files for Transformers.js (`env.wasm.wasmPaths`), by build: a model placed on
   * WebGPU loads `asyncify`, one on WASM the plain `wasm` build (see `OrtBuild`); `ortBuilds()` makes it.
   */
  wasmPaths: Readonly<Record<OrtBuild, OrtFiles>>;
  /** Keep downloaded files in Cache Storage so a second load is offline. */
  useBrowserCache: boolean;
  /** Pins of model files, by model id then file path (see `SlmEngineOptions.integrity`). */
  integrity?: Readonly<Record<string, IntegrityPins>>;
  /** Whether to ask the host for `slm-integrity.json` beside each model's files. */
  integrityManifest?: boolean;
  /** How downloads are retried (see `DEFAULT_RETRY`). */
  retry?: Partial<RetryPolicy>;
}

/** Detail of `slm-ready`. */
export interface ReadyDetail {
  kind: ModelKind;
  role: ModelRole;
  placement: ModelPlacement;
  loadMs: number;
}

/** Detail of `slm-error`. */
export interface ErrorDetail {
  error: SlmError;
  code: SlmError['code'];
  message: string;
  kind?: ModelKind;
  /** The engine's slot whose model failed, when a model did. */
  role?: ModelRole;
}

/** Detail of the engine's `slm-state-change`: one slot's new state. */
export interface StateChangeDetail {
  role: ModelRole;
  state: ModelState;
}

export interface EmbedOptions {
  signal?: AbortSignal;
}

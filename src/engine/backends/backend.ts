import type { PrefixImport } from '../workers/protocol.js';
import type { PrefixPrecision, PrefixRecord } from '../workers/prefix-record.js';
import type { WorkerMemory } from '../workers/memory-meter.js';
import type {
  ChatMessage,
  EmbedOptions,
  GenerateOptions,
  GenerationResult,
  LoadProgress,
  ModelHostConfig,
  ModelPlacement,
  TranscribeOptions,
  TranscriptionResult,
} from '../types.js';

/** Raw progress from a runtime, before the engine turns it into a `LoadProgress`. */
export type BackendProgress =
  | { type: 'file'; file: string; loadedBytes: number; totalBytes: number; done: boolean }
  /** Every file the load will fetch, with sizes, as soon as the runtime knows them (before bytes flow). */
  | { type: 'files'; files: Array<{ file: string; loadedBytes: number; totalBytes: number }> }
  | { type: 'phase'; phase: LoadProgress['phase']; fraction?: number; text?: string }
  /** A file's request failed and is tried again after `delayMs`. */
  | { type: 'retry'; file: string; attempt: number; of: number; delayMs: number };

export interface LoadOptions {
  placement: ModelPlacement;
  host: ModelHostConfig;
  onProgress: (progress: BackendProgress) => void;
  signal?: AbortSignal;
}

/**
 * A loaded language model. Every implementation runs its runtime off the main thread
 * (a Web Worker), and every implementation reports failures as `SlmError`.
 */
export interface LlmBackend {
  load(options: LoadOptions): Promise<void>;
  /** Streams through `options.onToken`; rejects with `SlmError('aborted')` when the signal fires. */
  generate(messages: ChatMessage[], options?: GenerateOptions): Promise<GenerationResult>;
  unload(): Promise<void>;
  /**
   * The newest prompt cache as bytes, or null when there is none. Absent where the runtime
   * keeps its cache to itself (WebLLM).
   */
  exportPrefix?(key: string, precision?: PrefixPrecision): Promise<PrefixRecord | null>;
  /** Takes a stored prompt cache after checking it belongs to this model. */
  importPrefix?(key: string, record: PrefixRecord): Promise<PrefixImport>;
  /** A fault drill: destroys the runtime's GPU device, as a driver reset would (see `ModelSlot.loseDevice`). */
  loseDevice?(): Promise<void>;
}

/** A loaded speech-recognition model. */
export interface AsrBackend {
  load(options: LoadOptions): Promise<void>;
  /** 16 kHz mono samples in, text out. */
  transcribe(audio: Float32Array, options?: TranscribeOptions): Promise<TranscriptionResult>;
  unload(): Promise<void>;
  loseDevice?(): Promise<void>;
  /**
   * What its worker holds (WebAssembly heap, live GPU buffers), asked between readings; the
   * engine recycles the worker when it grows past `recycleLimits`. Absent where it cannot say.
   */
  memory?(): Promise<WorkerMemory>;
}

/** A loaded sentence embedder. */
export interface EmbedBackend {
  load(options: LoadOptions): Promise<void>;
  /** One unit-length vector per text (mean-pooled, normalised), so a dot product is the cosine. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
  unload(): Promise<void>;
  loseDevice?(): Promise<void>;
}

/** Any backend a model slot holds. */
export type ModelBackend = LlmBackend | AsrBackend | EmbedBackend;

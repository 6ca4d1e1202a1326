import type { SerializedSlmError } from '../../errors/slm-error.js';
import type { BackendProgress } from '../backends/backend.js';
import type { PrefixPrecision, PrefixRecord } from './prefix-record.js';
import type { WorkerMemory } from './memory-meter.js';

/** Whether a stored cache was taken, and if not, why. */
export interface PrefixImport {
  accepted: boolean;
  reason?: string;
  tokens?: number;
}
import type {
  ChatMessage,
  GenerationResult,
  ModelHostConfig,
  ModelPlacement,
  TranscriptionResult,
} from '../types.js';

/**
 * The one message protocol between the engine and its model workers. Every request
 * carries an `id`; the worker answers with any number of `progress`/`token` messages for
 * that id and then exactly one `result` or `error`.
 */
export type WorkerRequest =
  | { id: number; type: 'load'; placement: ModelPlacement; host: ModelHostConfig }
  | {
      id: number;
      type: 'generate';
      messages: ChatMessage[];
      maxTokens: number;
      temperature: number;
      /** False reads the whole prompt even where a cached prefix matches (for comparisons). */
      reusePrefix?: boolean;
      /** Whose prompt this is (a visit id); caches are reused and exported only under their own key. */
      cacheKey?: string;
    }
  | { id: number; type: 'export-prefix'; key: string; precision?: PrefixPrecision }
  | { id: number; type: 'import-prefix'; key: string; record: PrefixRecord }
  /** `stream`: send the text in `token` messages as it is decoded. */
  | { id: number; type: 'transcribe'; audio: Float32Array; language?: string; task?: 'transcribe' | 'translate'; stream?: boolean }
  | { id: number; type: 'embed'; texts: string[] }
  | { id: number; type: 'abort'; target: number }
  /** A fault drill, like WebGL's `WEBGL_lose_context`: destroys the runtime's GPU device, as a driver reset would. */
  | { id: number; type: 'lose-device' }
  /** The worker's own memory (WebAssembly heap, live GPU buffers), asked between readings to decide when to recycle it. */
  | { id: number; type: 'memory' }
  | { id: number; type: 'unload' };

export type WorkerRequestType = WorkerRequest['type'];

/** What each request type resolves to. */
export interface WorkerResults {
  load: null;
  generate: GenerationResult;
  transcribe: TranscriptionResult;
  /** One unit-length vector per text. */
  embed: Float32Array[];
  'export-prefix': PrefixRecord | null;
  'import-prefix': PrefixImport;
  abort: null;
  unload: null;
  'lose-device': null;
  memory: WorkerMemory;
}

export type WorkerResponse =
  | { id: number; type: 'progress'; progress: BackendProgress }
  | { id: number; type: 'token'; text: string }
  | { id: number; type: 'result'; value: WorkerResults[WorkerRequestType] }
  /** `retry`: the request may succeed in a fresh worker (a load whose damaged cached files were deleted). */
  | { id: number; type: 'error'; error: SerializedSlmError; retry?: boolean }
  /** The runtime's GPU device was lost (a driver reset, another tab's out-of-memory): nothing on it can be trusted. Not tied to a request. */
  | { id: 0; type: 'device-lost'; reason: string };

/** A request as the caller writes it: the client assigns the id. */
export type WorkerCall = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

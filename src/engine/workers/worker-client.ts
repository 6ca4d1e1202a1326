import { SlmError } from '../../errors/slm-error.js';
import type { BackendProgress } from '../backends/backend.js';
import type { WorkerCall, WorkerRequest, WorkerResponse, WorkerResults } from './protocol.js';

/** The calls a worker must answer, each watched by its own no-progress limit. */
export type WatchedCall = Exclude<WorkerCall['type'], 'abort'>;

/** How long, in milliseconds, each kind of call may go without a single message from the worker. */
export type StallLimits = Record<WatchedCall, number>;

/**
 * What the worker really sends, and so how long its silence can be innocent:
 * - `load` reports every downloaded chunk, but then goes quiet while the runtime builds its
 *   sessions (WASM compile, WebGPU shaders) and again during the warm-up run: minutes for a
 *   large model on a weak device, so five of them.
 * - `generate` sends tokens every few milliseconds once decoding starts, but nothing during
 *   prefill, and a long transcript in the prompt on WASM takes tens of seconds: two minutes.
 * - `transcribe` sends nothing while the encoder reads (and, unless its text is streamed,
 *   nothing until its answer), and `embed` nothing until its answer; the speech backend
 *   stretches its limit for long audio.
 * - `unload` only disposes sessions: fifteen seconds, after which the worker is ended anyway.
 * - `memory` only reads two counters: fifteen seconds, as `unload`.
 * - `export-prefix` and `import-prefix` copy a cache of up to a few hundred megabytes and
 *   convert it: a minute.
 */
export const DEFAULT_STALL_LIMITS: Readonly<StallLimits> = {
  load: 300_000,
  generate: 120_000,
  transcribe: 120_000,
  embed: 60_000,
  unload: 15_000,
  'export-prefix': 60_000,
  'import-prefix': 60_000,
  'lose-device': 15_000,
  memory: 15_000,
};

export interface WorkerClientOptions {
  /** Replaces some of `DEFAULT_STALL_LIMITS` (tests use milliseconds). */
  stallLimits?: Partial<StallLimits>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: SlmError) => void;
  onProgress?: (progress: BackendProgress) => void;
  onToken?: (text: string) => void;
  /** Restarts the no-progress timer; called on every message for this call. */
  touch: () => void;
  stop: () => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: BackendProgress) => void;
  onToken?: (text: string) => void;
  transfer?: Transferable[];
  /** This call's no-progress limit in milliseconds, instead of the client's for its type. */
  stallMs?: number;
}

const ignore = () => undefined;

const retryable = new WeakSet<SlmError>();

/** Whether the worker said the call that failed with `error` may succeed in a fresh worker. */
export const freshWorkerMayHelp = (error: unknown): boolean => error instanceof SlmError && retryable.has(error);

/**
 * The main-thread end of a model worker: turns the message protocol back into promises,
 * forwards abort signals as `abort` messages, and fails every pending call if the worker dies.
 * A worker can die without a word (it closed itself, a WASM or WebGPU call never returns), so
 * every call is also watched: silence past its limit counts as death, and the worker is ended.
 */
export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private dead: SlmError | null = null;
  readonly stallLimits: Readonly<StallLimits>;

  constructor(
    private readonly worker: Worker,
    options: WorkerClientOptions = {},
  ) {
    this.stallLimits = { ...DEFAULT_STALL_LIMITS, ...options.stallLimits };
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => this.onMessage(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.crash(new SlmError('worker-crashed', `The model worker stopped: ${event.message || 'it could not start'}. Try again; the model will be reloaded.`));
    });
    worker.addEventListener('messageerror', () => {
      this.crash(new SlmError('worker-crashed', 'The model worker sent a message that could not be read. Try again; the model will be reloaded.'));
    });
  }

  /** Why the worker can no longer be used, or null while it can. */
  get failure(): SlmError | null {
    return this.dead;
  }

  call<T extends WorkerCall['type']>(
    request: Extract<WorkerCall, { type: T }>,
    options: CallOptions = {},
  ): Promise<WorkerResults[T]> {
    if (this.dead) return Promise.reject(this.dead);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new SlmError('aborted', 'The request was cancelled before it started.'));
    const id = this.nextId++;
    const stallMs = options.stallMs ?? this.stallLimits[request.type as WatchedCall] ?? DEFAULT_STALL_LIMITS.generate;
    return new Promise<WorkerResults[T]>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = () => clearTimeout(timer);
      const touch = () => {
        stop();
        timer = setTimeout(() => this.stalled(stallMs), stallMs);
      };
      const entry: Pending = {
        resolve: (value) => (settle(), resolve(value as WorkerResults[T])),
        reject: (error) => (settle(), reject(error)),
        onProgress: options.onProgress,
        onToken: options.onToken,
        touch,
        stop,
      };
      // The caller is answered at once; the entry stays, silenced, until the worker confirms
      // the stop, so the watchdog still sees a worker that never does.
      const onAbort = () => {
        this.post({ id: this.nextId++, type: 'abort', target: id });
        const caller = entry.reject;
        Object.assign(entry, { resolve: ignore, reject: ignore, onProgress: undefined, onToken: undefined });
        caller(new SlmError('aborted', 'The request was cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, entry);
      touch();
      this.post({ ...request, id } as WorkerRequest, options.transfer);
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll(new SlmError('aborted', 'The model was unloaded.'));
  }

  private post(message: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(message: WorkerResponse): void {
    if (message.type === 'device-lost') {
      this.crash(new SlmError('device-lost', `The GPU device was lost (${message.reason}), so the model is loaded again; try again.`));
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'progress':
        pending.touch();
        pending.onProgress?.(message.progress);
        break;
      case 'token':
        pending.touch();
        pending.onToken?.(message.text);
        break;
      case 'result':
        pending.stop();
        this.pending.delete(message.id);
        pending.resolve(message.value);
        break;
      case 'error': {
        pending.stop();
        this.pending.delete(message.id);
        const error = SlmError.fromJSON(message.error);
        if (message.retry) retryable.add(error);
        pending.reject(error);
        break;
      }
    }
  }

  private stalled(stallMs: number): void {
    const seconds = Math.round(stallMs / 100) / 10;
    this.crash(new SlmError('worker-crashed', `The model stopped responding for ${seconds} s, so it was restarted; try again.`));
  }

  /** A worker that failed once is never trusted again: it is ended, and its owner makes a new one. */
  private crash(error: SlmError): void {
    if (this.dead) return;
    this.worker.terminate();
    this.failAll(error);
  }

  private failAll(error: SlmError): void {
    this.dead ??= error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) {
      entry.stop();
      entry.reject(error);
    }
  }
}

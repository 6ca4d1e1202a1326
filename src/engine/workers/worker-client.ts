import { SlmError } from '../../errors/slm-error.js';
import type { BackendProgress } from '../backends/backend.js';
import type { WorkerCall, WorkerRequest, WorkerResponse, WorkerResults } from './protocol.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: SlmError) => void;
  onProgress?: (progress: BackendProgress) => void;
  onToken?: (text: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: BackendProgress) => void;
  onToken?: (text: string) => void;
  transfer?: Transferable[];
}

/**
 * The main-thread end of a model worker: turns the message protocol back into promises,
 * forwards abort signals as `abort` messages, and fails every pending call if the worker dies.
 */
export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private dead: SlmError | null = null;

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => this.onMessage(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.failAll(new SlmError('worker-crashed', `The model worker stopped: ${event.message || 'it could not start'}.`));
    });
    worker.addEventListener('messageerror', () => {
      this.failAll(new SlmError('worker-crashed', 'The model worker sent a message that could not be read.'));
    });
  }

  call<T extends WorkerCall['type']>(
    request: Extract<WorkerCall, { type: T }>,
    options: CallOptions = {},
  ): Promise<WorkerResults[T]> {
    if (this.dead) return Promise.reject(this.dead);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new SlmError('aborted', 'The request was cancelled before it started.'));
    const id = this.nextId++;
    return new Promise<WorkerResults[T]>((resolve, reject) => {
      const onAbort = () => this.post({ id: this.nextId++, type: 'abort', target: id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (value) => (settle(), resolve(value as WorkerResults[T])),
        reject: (error) => (settle(), reject(error)),
        onProgress: options.onProgress,
        onToken: options.onToken,
      });
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
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'progress':
        pending.onProgress?.(message.progress);
        break;
      case 'token':
        pending.onToken?.(message.text);
        break;
      case 'result':
        this.pending.delete(message.id);
        pending.resolve(message.value);
        break;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(SlmError.fromJSON(message.error));
        break;
    }
  }

  private failAll(error: SlmError): void {
    this.dead = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

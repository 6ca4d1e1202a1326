import { SlmError } from '../../errors/slm-error.js';
import type {
  ChatMessage,
  EmbedOptions,
  GenerateOptions,
  GenerationResult,
  TranscribeOptions,
  TranscriptionResult,
} from '../types.js';
import type { WorkerMemory } from '../workers/memory-meter.js';
import type { PrefixImport } from '../workers/protocol.js';
import type { PrefixPrecision, PrefixRecord } from '../workers/prefix-record.js';
import { WorkerClient, freshWorkerMayHelp, type WorkerClientOptions } from '../workers/worker-client.js';
import type { AsrBackend, EmbedBackend, LlmBackend, LoadOptions } from './backend.js';

export type WorkerFactory = () => Worker;

const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('../workers/transformers.worker.js', import.meta.url), { type: 'module', name: 'slm-transformers' });

/** One Transformers.js pipeline in its own worker; the LLM, ASR and embedding backends below share this. */
class TransformersWorkerBackend {
  protected client: WorkerClient | null = null;

  /**
   * @param createWorker makes the worker; tests pass one of their own.
   * @param clientOptions how long each call may go without a word from the worker before it counts as dead.
   */
  constructor(
    private readonly createWorker: WorkerFactory = defaultWorker,
    private readonly clientOptions: WorkerClientOptions = {},
  ) {}

  async load(options: LoadOptions): Promise<void> {
    try {
      await this.loadInFreshWorker(options);
    } catch (error) {
      // Damaged cached files were deleted: once more, from the host, in a worker of its own.
      if (!freshWorkerMayHelp(error) || options.signal?.aborted) throw error;
      const offGpu = error instanceof SlmError && error.code === 'webgpu-unavailable';
      options.onProgress(
        offGpu
          ? { type: 'phase', phase: 'compile', text: 'onnxruntime did not keep the model on WebGPU; loading it again in a fresh worker.' }
          : { type: 'phase', phase: 'download', text: 'A damaged copy in the cache was deleted; fetching the model files again.' },
      );
      await this.loadInFreshWorker(options);
    }
  }

  private async loadInFreshWorker({ placement, host, onProgress, signal }: LoadOptions): Promise<void> {
    this.client?.terminate();
    const client = new WorkerClient(this.createWorker(), this.clientOptions);
    this.client = client;
    // Aborting a load cannot interrupt a download inside the library, so the worker goes.
    const onAbort = () => client.terminate();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await client.call({ type: 'load', placement, host }, { onProgress });
    } catch (error) {
      client.terminate();
      if (this.client === client) this.client = null;
      throw signal?.aborted ? new SlmError('aborted', 'Loading was cancelled.', { modelId: placement.modelId }) : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async unload(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.call({ type: 'unload' }).catch(() => undefined);
    client.terminate();
  }

  /** Destroys onnxruntime's GPU device in the worker, as a driver reset would: the worker reports it lost. */
  async loseDevice(): Promise<void> {
    await this.loaded().call({ type: 'lose-device' });
  }

  /** What the worker holds now: its WebAssembly heap and live GPU buffers (see memory-meter.ts). */
  memory(): Promise<WorkerMemory> {
    return this.loaded().call({ type: 'memory' });
  }

  protected loaded(): WorkerClient {
    if (!this.client) throw new SlmError('not-loaded', 'The model is not loaded yet; call load() first.');
    return this.client;
  }
}

export class TransformersLlmBackend extends TransformersWorkerBackend implements LlmBackend {
  generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> {
    return this.loaded().call(
      { type: 'generate', messages, maxTokens: options.maxTokens ?? 512, temperature: options.temperature ?? 0, reusePrefix: options.reusePrefix, cacheKey: options.cacheKey },
      { signal: options.signal, onToken: options.onToken },
    );
  }

  exportPrefix(key: string, precision?: PrefixPrecision): Promise<PrefixRecord | null> {
    return this.loaded().call({ type: 'export-prefix', key, precision });
  }

  importPrefix(key: string, record: PrefixRecord): Promise<PrefixImport> {
    // Copied, because transferring would empty the caller's record.
    const copy = { ...record, data: record.data.slice(0), ids: record.ids.slice() };
    return this.loaded().call({ type: 'import-prefix', key, record: copy }, { transfer: [copy.data, copy.ids.buffer] });
  }
}

export class TransformersAsrBackend extends TransformersWorkerBackend implements AsrBackend {
  transcribe(audio: Float32Array, options: TranscribeOptions = {}): Promise<TranscriptionResult> {
    // Copied, because transferring would empty the caller's buffer.
    const copy = audio.slice();
    const client = this.loaded();
    // Speech may send nothing until its answer, and a long recording on a slow device can take
    // a few times its own length: the limit grows with the audio.
    const stallMs = Math.max(client.stallLimits.transcribe, (audio.length / 16_000) * 1000 * 4);
    const { onText } = options;
    let text = '';
    return client.call(
      { type: 'transcribe', audio: copy, language: options.language, task: options.task, stream: onText !== undefined },
      { signal: options.signal, transfer: [copy.buffer], stallMs, onToken: onText && ((piece) => onText((text += piece).trim())) },
    );
  }
}

export class TransformersEmbedBackend extends TransformersWorkerBackend implements EmbedBackend {
  embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    return this.loaded().call({ type: 'embed', texts }, { signal: options.signal });
  }
}

import type {
  AppConfig,
  ChatCompletionChunk,
  ChatCompletionFinishReason,
  ChatCompletionRequestStreaming,
  CompletionUsage,
  InitProgressReport,
  MLCEngineInterface,
  ModelRecord,
} from '@mlc-ai/web-llm';
import { SlmError } from '../../errors/slm-error.js';
import { isWebLlmRetryMessage, type WebLlmFilesMessage } from '../model-files/webllm-files.js';
import { HUGGING_FACE_HUB } from '../model-host.js';
import type { ChatMessage, GenerateOptions, GenerationResult, LoadPhase } from '../types.js';
import type { BackendProgress, LlmBackend, LoadOptions } from './backend.js';
import { StreamedAnswer } from './streamed-answer.js';
import { toSlmError } from './webllm-errors.js';

export interface MlcEngineFactoryConfig {
  appConfig: AppConfig;
  initProgressCallback: (report: InitProgressReport) => void;
  /** Fires when the load is abandoned: the factory should stop loading and free the GPU. */
  signal?: AbortSignal;
  /** For WebLLM's worker, before WebLLM's first message: how it fetches and checks model files. */
  files?: WebLlmFilesMessage;
}

/** Makes an engine with `modelId` loaded, as WebLLM's `CreateWebWorkerMLCEngine` does. */
export type MlcEngineFactory = (modelId: string, config: MlcEngineFactoryConfig) => Promise<MLCEngineInterface>;

export interface WebLlmBackendOptions {
  /** Default: `CreateWebWorkerMLCEngine` on our WebLLM worker. Tests pass a fake. */
  createEngine?: MlcEngineFactory;
  /** WebLLM's model records; default: the installed package's `prebuiltAppConfig.model_list`. */
  modelList?: ModelRecord[];
  /** Where WebLLM keeps downloaded files; default the Cache API, the store WebLLM tests most. */
  cacheBackend?: AppConfig['cacheBackend'];
  /**
   * How long a generation may go without a token (prefill included) before WebLLM's worker
   * counts as dead and is ended; default two minutes, as for the Transformers.js worker.
   */
  stallMs?: number;
  /**
   * Where WebLLM runs. `dedicated` (default): a worker of this page, gone with the page.
   * `service`: a service worker shared by every tab of the origin, so a reload reconnects to
   * the model and its cache still loaded there. The browser stops an idle service worker; the
   * next request then loads the model again (from the cache, not the network) and says so.
   */
  worker?: 'dedicated' | 'service';
  /** The module service worker hosting WebLLM's handler; default the package's `webllm.sw.js`. */
  serviceWorkerUrl?: string | URL;
  /**
   * The scope it is registered for; default `/`, so that it controls the page (WebLLM talks to
   * the worker that controls it). A script below that scope must be served with the header
   * `Service-Worker-Allowed: /`.
   */
  serviceWorkerScope?: string;
}

const DEFAULT_STALL_MS = 120_000;
/** How often a page tells the service worker it is still there (WebLLM's keep-alive). */
const KEEP_ALIVE_MS = 10_000;
/** How long a newly installed service worker may take to control the page. */
const CONTROL_WAIT_MS = 10_000;

/** The same defaults as the Transformers.js backend, so switching runtimes changes neither length nor determinism. */
const DEFAULT_MAX_TOKENS = 512;
const DEFAULT_TEMPERATURE = 0;

const HUB_PREFIX = `${HUGGING_FACE_HUB}/`;
const LIBS_PATH = '/binary-mlc-llm-libs/main/';

/**
 * WebLLM records point at the Hugging Face hub for weights and at GitHub for compiled model
 * libraries. A self-hosted mirror serves both under the Hugging Face layout (WebLLM appends
 * `resolve/main/…` itself). The weights keep their path, not `mlc-ai/{model_id}`: the `-1k`
 * records share the repo of the full-context model.
 */
export function recordForHost(record: ModelRecord, host: string): ModelRecord {
  // WebLLM's worker parses model URLs with `new URL(url)`, which refuses relative ones.
  const base = new URL(host, globalThis.location?.href).href.replace(/\/+$/, '');
  if (base === HUGGING_FACE_HUB) return record;
  const lib = record.model_lib.indexOf(LIBS_PATH);
  return {
    ...record,
    model: record.model.startsWith(HUB_PREFIX) ? `${base}/${record.model.slice(HUB_PREFIX.length)}` : record.model,
    model_lib: lib >= 0 ? `${base}/mlc-ai/binary-mlc-llm-libs/resolve/main/${record.model_lib.slice(lib + LIBS_PATH.length)}` : record.model_lib,
  };
}

/**
 * WebLLM's steps, told apart by their text; its own fraction restarts at 0 for each step,
 * so each is given its share of the whole load.
 */
const loadSteps: Array<{ text: RegExp; phase: LoadPhase; from: number; to: number }> = [
  { text: /^(Start to fetch params|Fetching param cache)/, phase: 'download', from: 0, to: 0.75 },
  // Copying the cached weights into GPU memory: nothing is downloaded any more.
  { text: /^Loading model from cache/, phase: 'compile', from: 0.75, to: 0.9 },
  { text: /^Loading GPU shader modules/, phase: 'compile', from: 0.9, to: 0.99 },
  { text: /^Finish loading/, phase: 'warmup', from: 1, to: 1 },
];

/** One WebLLM progress report as a phase with a fraction of the whole load. */
export function phaseFromWebLlmReport(report: InitProgressReport): Extract<BackendProgress, { type: 'phase' }> {
  const step = loadSteps.find((s) => s.text.test(report.text));
  if (!step) return { type: 'phase', phase: 'download', text: report.text };
  const within = Math.min(1, Math.max(0, Number.isFinite(report.progress) ? report.progress : 0));
  // Rounded so that the end of one step never lands a hair above the start of the next.
  const fraction = Math.round((step.from + (step.to - step.from) * within) * 10_000) / 10_000;
  return { type: 'phase', phase: step.phase, fraction, text: report.text };
}

/** A WebLLM model, running in WebLLM's worker, behind the same interface as every LLM backend. */
export class WebLlmBackend implements LlmBackend {
  private engine: MLCEngineInterface | null = null;
  /** The worker this backend started, when it made the engine itself. */
  private worker: Worker | null = null;
  /** Rejects when WebLLM's worker dies, at any time in its life; never settles otherwise. */
  private crashed: Promise<never> = new Promise<never>(() => undefined);
  /** Why the engine can no longer answer; then `unload` must not wait for it. */
  private failure: SlmError | null = null;
  private modelId = '';
  private connectionState: 'fresh' | 'reconnected' | null = null;

  constructor(private readonly options: WebLlmBackendOptions = {}) {}

  /**
   * In a service worker: `reconnected` when the last load found the model still loaded there
   * (nothing fetched or compiled), `fresh` when it was loaded; null in a dedicated worker.
   */
  get connection(): 'fresh' | 'reconnected' | null {
    return this.connectionState;
  }

  private get shared(): boolean {
    return this.options.worker === 'service';
  }

  async load({ placement, host, onProgress, signal }: LoadOptions): Promise<void> {
    await this.unload();
    this.failure = null;
    const modelId = (this.modelId = placement.modelId);
    const modelList = this.options.modelList ?? (await import('@mlc-ai/web-llm')).prebuiltAppConfig.model_list;
    const record = modelList.find((r) => r.model_id === modelId);
    if (!record) throw new SlmError('unknown-model', `WebLLM has no model "${modelId}" in its model list.`, { modelId });
    if (signal?.aborted) throw cancelled(modelId, 'Loading');

    const appConfig: AppConfig = { model_list: [recordForHost(record, host.host)], cacheBackend: this.options.cacheBackend ?? 'cache' };
    let reporting = true;
    let reports = 0;
    const initProgressCallback = (report: InitProgressReport) => {
      reports++;
      if (reporting) onProgress(phaseFromWebLlmReport(report));
    };
    const create = this.options.createEngine ?? (this.shared ? this.createServiceWorkerEngine : this.createWorkerEngine);
    const abort = watchAbort(signal);
    // WebLLM's reports stop while a request waits to be tried again; its worker tells us here.
    const retries = new MessageChannel();
    retries.port1.onmessage = ({ data }: MessageEvent) => {
      if (reporting && isWebLlmRetryMessage(data)) onProgress({ type: 'retry', file: data.file, attempt: data.attempt, of: data.of, delayMs: data.delayMs });
    };
    const files: WebLlmFilesMessage = { type: 'slm-model-files', host, pins: placement.preset?.integrity, progress: retries.port2 };
    const loading = Promise.resolve().then(() => create(modelId, { appConfig, initProgressCallback, signal, files }));
    try {
      this.engine = await Promise.race([loading, abort.aborted]);
      if (this.shared) {
        // WebLLM's service-worker handler answers a load of the model it already holds at once, without a report.
        this.connectionState = reports === 0 ? 'reconnected' : 'fresh';
        onProgress({
          type: 'phase',
          phase: 'warmup',
          fraction: 1,
          text: reports === 0 ? 'Reconnected to the model still loaded in the shared service worker.' : 'Loaded into the shared service worker; other tabs and a reload use it too.',
        });
      }
    } catch (error) {
      reporting = false;
      // A factory that ignored the signal still delivers an engine holding GPU memory.
      void loading.then((engine) => engine.unload(), () => undefined).catch(() => undefined);
      // Ending WebLLM's worker stops its downloads and frees its GPU device at once.
      this.terminateWorker();
      throw signal?.aborted ? cancelled(modelId, 'Loading') : toSlmError(error, 'load', modelId);
    } finally {
      abort.detach();
      retries.port1.close();
    }
  }

  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const engine = this.engine;
    const modelId = this.modelId;
    if (!engine) throw new SlmError('not-loaded', 'The WebLLM model is not loaded yet; call load() first.', { modelId });
    const { signal, onToken } = options;
    if (signal?.aborted) throw cancelled(modelId, 'Generation');
    // WebLLM counts keep-alive messages the service worker left unanswered: a few means it is gone.
    if (this.shared && ((engine as { missedHeartbeat?: number }).missedHeartbeat ?? 0) >= MISSED_HEARTBEATS) {
      this.failure = serviceWorkerLost(modelId);
      throw this.failure;
    }
    // WebLLM stops before its next decoding step; the race below stops us waiting for it.
    const abort = watchAbort(signal, () => engine.interruptGenerate());
    const stallMs = this.options.stallMs ?? DEFAULT_STALL_MS;
    // Each wait races a stop, a dead worker, and silence longer than the limit.
    const step = <T>(work: Promise<T>) => this.watched(Promise.race([work, abort.aborted, this.crashed]), stallMs, modelId);
    const answer = new StreamedAnswer<CompletionUsage, ChatCompletionFinishReason>(onToken);
    const creating = engine.chat.completions.create(completionRequest(messages, options));
    let stream: AsyncIterator<ChatCompletionChunk> | null = null;
    try {
      stream = (await step(creating))[Symbol.asyncIterator]();
      for (;;) {
        const next = await step(stream.next());
        if (next.done) break;
        answer.add(next.value);
      }
    } catch (error) {
      // Hand the stream back: WebLLM holds the model's lock until its generator finishes.
      if (stream) void stream.return?.().catch(() => undefined);
      else void creating.then((s) => s[Symbol.asyncIterator]().return?.(), () => undefined).catch(() => undefined);
      if (signal?.aborted) throw cancelled(modelId, 'Generation');
      if (this.shared && lostByServiceWorker(error)) {
        // The browser stopped the idle service worker, and the model with it.
        this.failure = serviceWorkerLost(modelId, error);
        throw this.failure;
      }
      throw toSlmError(error, 'generate', modelId);
    } finally {
      abort.detach();
    }
    // A stream can end on its own (finish_reason 'abort') just as the signal fires.
    if (signal?.aborted) throw cancelled(modelId, 'Generation');
    const { finishReason, usage } = answer;
    return {
      text: answer.text,
      finishReason: finishReason === 'length' || finishReason === 'abort' ? finishReason : 'stop',
      stats: answer.stats({ prefill: finite(usage?.extra?.prefill_tokens_per_s), decode: finite(usage?.extra?.decode_tokens_per_s) }),
    };
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    // Other tabs may be using the shared model: this page only lets go of it. The browser
    // frees it once no open page keeps the service worker alive.
    if (this.shared) return;
    try {
      // A dead worker never answers, so asking it to unload would wait forever.
      if (!this.failure) await engine?.unload();
    } catch {
      // An engine whose GPU device is gone cannot unload; ending its worker frees what is left.
    } finally {
      this.terminateWorker();
    }
  }

  /** WebLLM's own worker client, on our worker entry point; WebLLM itself is fetched only now. */
  private readonly createWorkerEngine: MlcEngineFactory = async (modelId, { appConfig, initProgressCallback, signal, files }) => {
    const webllm = await import('@mlc-ai/web-llm');
    // The load may have been abandoned while WebLLM was fetched: start no worker for it.
    signal?.throwIfAborted();
    const worker = new Worker(new URL('../workers/webllm.worker.js', import.meta.url), { type: 'module', name: 'slm-webllm' });
    this.worker = worker;
    if (files) worker.postMessage(files, files.progress ? [files.progress] : []);
    // A worker that fails to start would leave CreateWebWorkerMLCEngine waiting forever.
    // Watched for its whole life: a worker that fails to start would leave
    // CreateWebWorkerMLCEngine waiting forever, and one that dies later every generation.
    const crashed = new Promise<never>((_, reject) => {
      const fail = (event: Event) => {
        const message = event instanceof ErrorEvent && event.message ? event.message : 'it could not start or answer';
        const error = new SlmError('worker-crashed', `WebLLM's worker stopped: ${message}. Try again; the model will be reloaded.`, { modelId });
        if (this.worker === worker) this.failure = error;
        reject(error);
      };
      worker.addEventListener('error', fail, { once: true });
      worker.addEventListener('messageerror', fail, { once: true });
    });
    crashed.catch(() => undefined);
    this.crashed = crashed;
    // No abort handling here: the worker client cannot stop a load half-way, so `load` ends the worker.
    return Promise.race([webllm.CreateWebWorkerMLCEngine(worker, modelId, { appConfig, initProgressCallback }), crashed]);
  };

  /** WebLLM's service-worker client, after registering the worker and waiting for it to control this page. */
  private readonly createServiceWorkerEngine: MlcEngineFactory = async (modelId, { appConfig, initProgressCallback, signal, files }) => {
    if (!('serviceWorker' in navigator)) {
      throw new SlmError('invalid-argument', 'Service workers are not available on this page (they need HTTPS or localhost): use WebLLM’s dedicated worker (remove webllm-worker="service").', { modelId });
    }
    const webllm = await import('@mlc-ai/web-llm');
    const container = navigator.serviceWorker;
    const url = new URL(this.options.serviceWorkerUrl ?? new URL('../workers/webllm.sw.js', import.meta.url), location.href);
    const scope = this.options.serviceWorkerScope ?? '/';
    // Registered for the script's own folder, it would never control the page, and `ready` would wait forever.
    await container.register(url, { type: 'module', scope }).catch((error: unknown) => {
      throw new SlmError(
        'model-load-failed',
        `WebLLM's service worker ${url.pathname} could not be registered for ${scope} (${error instanceof Error ? error.message : String(error)}). Serve the package's minified file as it is built, with the header "Service-Worker-Allowed: ${scope}" (or from that folder), or use WebLLM's dedicated worker (remove webllm-worker="service").`,
        { modelId, cause: error },
      );
    });
    await container.ready;
    if (!container.controller) await controlled(container, CONTROL_WAIT_MS, modelId);
    signal?.throwIfAborted();
    if (files) container.controller?.postMessage(files, files.progress ? [files.progress] : []);
    return webllm.CreateServiceWorkerMLCEngine(modelId, { appConfig, initProgressCallback }, undefined, KEEP_ALIVE_MS);
  };

  /** `work`, or `worker-crashed` (and the worker ended) when it takes longer than `stallMs`. */
  private watched<T>(work: Promise<T>, stallMs: number, modelId: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.round(stallMs / 100) / 10;
        this.failure = new SlmError('worker-crashed', `The model stopped responding for ${seconds} s, so it was restarted; try again.`, { modelId });
        this.terminateWorker();
        reject(this.failure);
      }, stallMs);
    });
    return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
  }

  private terminateWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.crashed = new Promise<never>(() => undefined);
  }
}

function completionRequest(messages: ChatMessage[], { maxTokens, temperature, jsonSchema }: GenerateOptions): ChatCompletionRequestStreaming {
  return {
    // Plain copies: the request is structured-cloned to the worker, and WebLLM may edit it.
    messages: messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: temperature ?? DEFAULT_TEMPERATURE,
    ...(jsonSchema ? { response_format: { type: 'json_object' as const, schema: JSON.stringify(jsonSchema) } } : {}),
  };
}

const MISSED_HEARTBEATS = 3;

function serviceWorkerLost(modelId: string, cause?: unknown): SlmError {
  return new SlmError('worker-crashed', 'The browser stopped the shared service worker that held the model, so it will be loaded again (from this device’s cache). Try again.', { modelId, cause });
}

/** Waits for a service worker to take control of the page (it claims clients on activation). */
function controlled(container: ServiceWorkerContainer, ms: number, modelId: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      container.removeEventListener('controllerchange', done);
      reject(new SlmError('model-load-failed', 'The shared service worker did not take control of this page. Reload the page once, or use WebLLM’s dedicated worker.', { modelId }));
    }, ms);
    function done() {
      clearTimeout(timer);
      resolve();
    }
    container.addEventListener('controllerchange', done, { once: true });
  });
}

/** The error WebLLM gives when the engine it talks to holds no model (a restarted service worker). */
function lostByServiceWorker(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  return /ModelNotLoaded|EngineNotLoaded/i.test(name) || /model not loaded|no model (is )?loaded|not loaded/i.test(message);
}

/** A promise that rejects when the signal fires (at once if it has), for racing against WebLLM. */
function watchAbort(signal: AbortSignal | undefined, onAbort?: () => void): { aborted: Promise<never>; detach: () => void } {
  let detach = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    const listener = () => {
      onAbort?.();
      reject(signal.reason);
    };
    if (signal.aborted) return listener();
    signal.addEventListener('abort', listener, { once: true });
    detach = () => signal.removeEventListener('abort', listener);
  });
  // Only ever read through a race; an abort after the race is over is nobody's error.
  aborted.catch(() => undefined);
  return { aborted, detach };
}

const cancelled = (modelId: string, what: 'Loading' | 'Generation') => new SlmError('aborted', `${what} was cancelled.`, { modelId });

/** WebLLM divides by zero for one-token answers; NaN and Infinity mean "not measured". */
const finite = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : undefined);

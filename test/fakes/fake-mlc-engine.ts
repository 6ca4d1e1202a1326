import type {
  AppConfig,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionFinishReason,
  ChatCompletionRequest,
  ChatCompletionRequestBase,
  ChatCompletionRequestNonStreaming,
  ChatCompletionRequestStreaming,
  ChatOptions,
  CompletionUsage,
  InitProgressCallback,
  MLCEngineInterface,
} from '@mlc-ai/web-llm';
import { downloadAsWebLlm } from './fake-webllm-downloads.js';

export interface FakeMlcOptions {
  /** The answer, one string per token; or a function of the request. */
  script?: string[] | ((request: ChatCompletionRequest) => string[]);
  /** Milliseconds per decoding step (prefill takes as long). Default 1. */
  tokenDelayMs?: number;
  /** Milliseconds per reported loading step. Default 2. */
  stepDelayMs?: number;
  /** Parameter shards the fake "downloads" during reload. Default 4. */
  shards?: number;
  /** Size of one shard, for WebLLM's "…MB fetched" text. Default 32. */
  shardMB?: number;
  /** GPU shader modules the fake "compiles". Default 3. */
  shaderModules?: number;
  /** The weights are already in the browser's cache: WebLLM then skips its fetch step. */
  cached?: boolean;
  /** Make `reload` fail with this, half-way through the step `failReloadDuring` (default 'fetch'). */
  failReloadWith?: Error | string;
  failReloadDuring?: 'fetch' | 'load' | 'shaders';
  /** Make the stream fail with this after this many tokens. */
  failStreamAfter?: { tokens: number; error: Error | string };
  /** The end of "Finish loading on …": WebLLM's adapter label (SwiftShader's vendor here). */
  gpuLabel?: string;
  /** What `usage.extra` reports. Defaults 480 and 42. */
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  /**
   * Reject as WebLLM's worker client does, with the worker-side error's `toString()` (a
   * string, not an Error). Default true: the backend always talks to WebLLM through a worker.
   */
  acrossWorker?: boolean;
  /** How long a request waits for the model lock before the fake calls it a deadlock. Default 2000. */
  lockTimeoutMs?: number;
  /**
   * Download the record's real files as WebLLM does (see fake-webllm-downloads.ts), through this
   * Cache Storage (what `caches` is in WebLLM's worker), instead of pretending to.
   */
  downloads?: CacheStorage;
}

export const FAKE_PREFILL_TOKENS_PER_S = 480;
export const FAKE_DECODE_TOKENS_PER_S = 42;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An Error as WebLLM's own classes make them: the class name in `name`, so `toString()` starts with it. */
function webLlmError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * A stand-in for WebLLM's `WebWorkerMLCEngine` where no compiled model library can run. It
 * follows WebLLM 0.2.86's code, not just its types:
 * - `reload` reports "Start to fetch params", "Fetching param cache[i/n]…" (skipped when
 *   cached), "Loading model from cache[i/n]…", "Loading GPU shader modules[i/n]…" and
 *   "Finish loading on WebGPU - …", each step with its own 0→1 progress, in WebLLM's words;
 *   `unload()` during `reload` aborts it, which rejects with the abort reason.
 * - a stream's first chunk follows prefill; before each decoding step it checks the interrupt
 *   flag and ends with `finish_reason` 'abort'; a natural stop yields one empty delta first;
 *   the final chunk has an empty delta and the reason ('length' at `max_tokens`); with
 *   `include_usage`, a last chunk with no choices carries `usage` (with `extra`).
 * - requests are structured-cloned, checked like WebLLM's `postInitAndCheckFields`, and
 *   serialised per model by a lock held until the stream finishes or is returned.
 * - errors raised in the worker arrive as strings; errors of the client itself as Errors.
 */
export class FakeMLCEngine implements MLCEngineInterface {
  /** Every call the backend made, with the arguments WebLLM received (requests as cloned). */
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  appConfig: AppConfig | null = null;
  loadedModel: string | null = null;
  private progressCallback: InitProgressCallback | undefined;
  private reloadController: AbortController | undefined;
  private interruptSignal = false;
  private lockHeld = false;
  private message = '';
  private lastRates = { prefill: 0, decode: 0 };

  constructor(private readonly fake: FakeMlcOptions = {}) {}

  chat = { completions: { create: (request: ChatCompletionRequest) => this.chatCompletion(request) } } as unknown as MLCEngineInterface['chat'];
  completions = { create: () => this.unsupported('completions.create') } as unknown as MLCEngineInterface['completions'];
  embeddings = { create: () => this.unsupported('embeddings.create') } as unknown as MLCEngineInterface['embeddings'];

  setInitProgressCallback = (callback: InitProgressCallback) => {
    this.progressCallback = callback;
  };
  getInitProgressCallback = () => this.progressCallback;
  setAppConfig = (appConfig: AppConfig) => {
    this.calls.push({ method: 'setAppConfig', args: [appConfig] });
    this.appConfig = structuredClone(appConfig);
  };

  reload = async (modelId: string | string[], chatOpts?: ChatOptions | ChatOptions[]) => {
    this.calls.push({ method: 'reload', args: [modelId, chatOpts] });
    this.loadedModel = null;
    const controller = (this.reloadController = new AbortController());
    try {
      for (const id of Array.isArray(modelId) ? modelId : [modelId]) await this.reloadOne(id, controller.signal);
    } catch (error) {
      throw this.acrossWorker(error);
    } finally {
      this.reloadController = undefined;
    }
  };

  private async reloadOne(modelId: string, signal: AbortSignal): Promise<void> {
    if (!this.appConfig?.model_list.some((r) => r.model_id === modelId)) {
      throw webLlmError('ModelNotFoundError', `Cannot find model record in appConfig for ${modelId}. Please check if the model ID is correct and included in the model_list configuration.`);
    }
    const { shards = 4, shardMB = 32, shaderModules = 3, failReloadWith, failReloadDuring = 'fetch' } = this.fake;
    const started = performance.now();
    const seconds = () => Math.ceil((performance.now() - started) / 1000);
    const report = (progress: number, text: string, timeElapsed: number = seconds()) => this.progressCallback?.({ progress, timeElapsed, text });
    const step = async (kind: 'fetch' | 'load' | 'shaders', i: number, n: number) => {
      await sleep(this.fake.stepDelayMs ?? 2);
      // WebLLM's fetches reject with the abort's reason, a string, which reload passes on.
      if (signal.aborted) throw signal.reason;
      if (failReloadWith !== undefined && kind === failReloadDuring && i === Math.ceil(n / 2)) throw failReloadWith;
    };
    const percent = (i: number, n: number) => Math.floor((i * 100) / n);

    if (this.fake.downloads) {
      const record = this.appConfig.model_list.find((r) => r.model_id === modelId)!;
      await downloadAsWebLlm(record, this.fake.downloads, (r) => this.progressCallback?.(r), signal);
      for (let i = 1; i <= shaderModules; i++) {
        await step('shaders', i, shaderModules);
        report(i / shaderModules, `Loading GPU shader modules[${i}/${shaderModules}]: ${percent(i, shaderModules)}% completed, ${seconds()} secs elapsed.`);
      }
      report(1, `Finish loading on ${this.fake.gpuLabel ?? 'WebGPU - google'}`, (performance.now() - started) / 1000);
      this.loadedModel = modelId;
      return;
    }

    // The config, the model library and the tokenizer come first, without reports.
    await step('fetch', 0, shards);
    report(0, 'Start to fetch params', 0);
    if (!this.fake.cached) {
      for (let i = 1; i <= shards; i++) {
        await step('fetch', i, shards);
        report(
          i / shards,
          `Fetching param cache[${i}/${shards}]: ${i * shardMB}MB fetched. ${percent(i, shards)}% completed, ${seconds()} secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`,
        );
      }
    }
    for (let i = 1; i <= shards; i++) {
      await step('load', i, shards);
      report(i / shards, `Loading model from cache[${i}/${shards}]: ${i * shardMB}MB loaded. ${percent(i, shards)}% completed, ${seconds()} secs elapsed.`);
    }
    for (let i = 1; i <= shaderModules; i++) {
      await step('shaders', i, shaderModules);
      report(i / shaderModules, `Loading GPU shader modules[${i}/${shaderModules}]: ${percent(i, shaderModules)}% completed, ${seconds()} secs elapsed.`);
    }
    report(1, `Finish loading on ${this.fake.gpuLabel ?? 'WebGPU - google'}`, (performance.now() - started) / 1000);
    this.loadedModel = modelId;
  }

  chatCompletion(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion>;
  chatCompletion(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
  chatCompletion(request: ChatCompletionRequestBase): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion>;
  chatCompletion(request: ChatCompletionRequest): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion>;
  async chatCompletion(original: ChatCompletionRequest): Promise<AsyncIterable<ChatCompletionChunk> | ChatCompletion> {
    const model = this.loadedModel;
    // The worker client checks this itself, so this one is a real Error.
    if (!model) throw webLlmError('WorkerEngineModelNotLoadedError', 'WebWorkerMLCEngine is not loaded with a model. Did you call `engine.reload()`?');
    // What the worker receives: a structured clone, which throws on anything it cannot copy.
    const request = structuredClone(original);
    this.calls.push({ method: 'chatCompletion', args: [request] });
    try {
      checkFields(request);
    } catch (error) {
      throw this.acrossWorker(error);
    }
    const script = typeof this.fake.script === 'function' ? this.fake.script(request) : (this.fake.script ?? ['Hello', ',', ' world', '.']);
    const stream = this.generate(request, model, script, !request.stream || request.stream_options?.include_usage === true);
    if (request.stream) return this.crossingStream(stream);
    const chunks: ChatCompletionChunk[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk);
    } catch (error) {
      throw this.acrossWorker(error);
    }
    const final = chunks.findLast((c) => c.choices[0]?.finish_reason);
    return {
      id: chunks[0].id,
      object: 'chat.completion',
      created: chunks[0].created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: this.message }, finish_reason: final!.choices[0].finish_reason!, logprobs: null }],
      usage: chunks.at(-1)!.usage!,
    } as ChatCompletion;
  }

  /** WebLLM's `asyncGenerate` and `streamCurrentGeneration`, one token per decoding step. */
  private async *generate(request: ChatCompletionRequest, model: string, script: string[], withUsage: boolean): AsyncGenerator<ChatCompletionChunk> {
    const fake = this.fake;
    await this.acquireLock();
    try {
      const received = performance.now();
      const base = { id: crypto.randomUUID(), created: Math.floor(Date.now() / 1000), model, object: 'chat.completion.chunk' as const };
      const delta = (content: string): ChatCompletionChunk => ({ ...base, choices: [{ delta: { content, role: 'assistant' }, finish_reason: null, index: 0, logprobs: null }] });
      const limit = request.max_tokens ?? Infinity;
      this.interruptSignal = false;
      this.message = '';
      let sent = 0;
      let finish: ChatCompletionFinishReason | null = null;
      const decode = async () => {
        await sleep(fake.tokenDelayMs ?? 1);
        if (fake.failStreamAfter && sent === fake.failStreamAfter.tokens) throw fake.failStreamAfter.error;
        if (sent >= script.length) {
          // The stop token adds nothing to the message, but its decoding step still yields.
          finish = 'stop';
          return delta('');
        }
        this.message += script[sent];
        const chunk = delta(script[sent++]);
        if (sent >= limit) finish = 'length';
        return chunk;
      };
      // Prefill samples the first token, which is sent before any check for an interrupt.
      yield await decode();
      const firstTokenAt = performance.now();
      while (finish === null) {
        if (this.interruptSignal) {
          finish = 'abort';
          break;
        }
        yield await decode();
      }
      yield { ...base, choices: [{ delta: {}, finish_reason: finish, index: 0 }] };
      if (withUsage) yield { ...base, choices: [], usage: this.usage(request, sent, received, firstTokenAt, performance.now()) };
    } finally {
      this.lockHeld = false;
    }
  }

  private usage(request: ChatCompletionRequest, completionTokens: number, received: number, firstTokenAt: number, ended: number): CompletionUsage {
    const promptTokens = request.messages.reduce((n, m) => n + 4 + Math.ceil(String(m.content ?? '').length / 4), 0);
    const prefill = this.fake.prefillTokensPerSecond ?? FAKE_PREFILL_TOKENS_PER_S;
    const decode = this.fake.decodeTokensPerSecond ?? FAKE_DECODE_TOKENS_PER_S;
    this.lastRates = { prefill, decode };
    const grammar = request.response_format?.type === 'json_object' ? { grammar_init_s: 0.004, grammar_per_token_s: 0.0002 } : {};
    return {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      extra: {
        e2e_latency_s: (ended - received) / 1000,
        prefill_tokens_per_s: prefill,
        decode_tokens_per_s: decode,
        time_to_first_token_s: (firstTokenAt - received) / 1000,
        time_per_output_token_s: completionTokens > 1 ? (ended - firstTokenAt) / 1000 / (completionTokens - 1) : 0,
        ...grammar,
      },
    };
  }

  /** WebLLM serialises requests per model; a stream never finished nor returned would block the next forever. */
  private async acquireLock(): Promise<void> {
    const deadline = performance.now() + (this.fake.lockTimeoutMs ?? 2000);
    while (this.lockHeld) {
      if (performance.now() > deadline) {
        throw new Error('FakeMLCEngine: an earlier stream was neither finished nor returned, so WebLLM would keep the model locked and this request would wait forever.');
      }
      await sleep(1);
    }
    this.lockHeld = true;
  }

  /** The worker client's stream: chunks and `return()` pass through, errors arrive as strings. */
  private crossingStream(stream: AsyncGenerator<ChatCompletionChunk>): AsyncIterable<ChatCompletionChunk> {
    const crossing = (error: unknown) => this.acrossWorker(error);
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => stream.next().catch((error: unknown) => Promise.reject(crossing(error))),
        return: () => stream.return(undefined),
      }),
    };
  }

  private acrossWorker(error: unknown): unknown {
    return this.fake.acrossWorker === false ? error : String(error);
  }

  interruptGenerate = () => {
    this.calls.push({ method: 'interruptGenerate', args: [] });
    this.interruptSignal = true;
  };
  unload = async () => {
    this.calls.push({ method: 'unload', args: [] });
    this.reloadController?.abort('Engine.unload() is called.');
    this.loadedModel = null;
  };
  runtimeStatsText = async () => `prefill: ${this.lastRates.prefill.toFixed(4)} tokens/sec, decoding: ${this.lastRates.decode.toFixed(4)} tokens/sec`;
  resetChat = async () => {
    this.calls.push({ method: 'resetChat', args: [] });
    this.message = '';
  };
  getMessage = async () => this.message;
  getMaxStorageBufferBindingSize = async () => 2 ** 30;
  getGPUVendor = async () => 'google';
  setLogLevel = () => undefined;
  listResumableSessions = async () => [];
  resumeChatCompletion = (() => this.unsupported('resumeChatCompletion')) as MLCEngineInterface['resumeChatCompletion'];
  deleteResumableSession = (() => this.unsupported('deleteResumableSession')) as MLCEngineInterface['deleteResumableSession'];
  completion = (() => this.unsupported('completion')) as unknown as MLCEngineInterface['completion'];
  embedding = (() => this.unsupported('embedding')) as MLCEngineInterface['embedding'];
  forwardTokensAndSample = (() => this.unsupported('forwardTokensAndSample')) as MLCEngineInterface['forwardTokensAndSample'];

  private unsupported(name: string): never {
    throw new Error(`FakeMLCEngine does not implement ${name}: the WebLLM backend never calls it.`);
  }
}

/** The checks of WebLLM's `postInitAndCheckFields` that a chat request from the backend could trip. */
function checkFields(request: ChatCompletionRequest): void {
  if (request.stream_options != null && !request.stream) throw webLlmError('InvalidStreamOptionsError', 'Only specify stream_options when stream=True.');
  if (request.response_format?.schema != null && request.response_format.type !== 'json_object') {
    throw webLlmError('InvalidResponseFormatError', 'JSON schema is only supported with `json_object` response format.');
  }
  request.messages.forEach((message, index) => {
    if (message.role === 'system' && index !== 0) throw webLlmError('SystemMessageOrderError', 'System prompt should always be the first message in `messages`.');
  });
  const last = request.messages.at(-1)?.role;
  if (last !== 'user' && last !== 'tool') throw webLlmError('MessageOrderError', 'Last message should be from either `user` or `tool`.');
}

/**
 * What `CreateWebWorkerMLCEngine` does (set the config and the progress callback, then
 * reload), on the fake. When the load is abandoned it unloads, which aborts the reload.
 */
export function fakeEngineFactory(engine: FakeMLCEngine) {
  const calls: Array<{ modelId: string; appConfig: AppConfig }> = [];
  const factory = async (modelId: string, config: { appConfig: AppConfig; initProgressCallback: InitProgressCallback; signal?: AbortSignal }) => {
    calls.push({ modelId, appConfig: config.appConfig });
    engine.setAppConfig(config.appConfig);
    engine.setInitProgressCallback(config.initProgressCallback);
    const unload = () => void engine.unload();
    config.signal?.addEventListener('abort', unload, { once: true });
    try {
      await engine.reload(modelId);
    } finally {
      config.signal?.removeEventListener('abort', unload);
    }
    return engine;
  };
  return Object.assign(factory, { calls });
}

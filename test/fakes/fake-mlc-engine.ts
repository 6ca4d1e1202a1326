import type {
  AppConfig,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  InitProgressCallback,
  MLCEngineInterface,
} from '@mlc-ai/web-llm';

export interface FakeMlcOptions {
  /** The answer, one string per token; or a function of the request. */
  script?: string[] | ((request: ChatCompletionRequest) => string[]);
  /** Milliseconds between streamed chunks. */
  tokenDelayMs?: number;
  /** Make `reload` fail with this error, after reporting some progress. */
  failReloadWith?: Error;
  /** Make the stream fail with this error after this many tokens. */
  failStreamAfter?: { tokens: number; error: Error };
  /** Parameter shards the fake "downloads" during reload. */
  shards?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A stand-in for WebLLM's engine where no compiled model library can run. It follows the
 * real `MLCEngineInterface`: progress reports with WebLLM's own wording, OpenAI-shaped
 * streaming chunks ending with a `usage` chunk, `finish_reason` 'length' at `max_tokens`
 * and 'abort' after `interruptGenerate()`, and errors thrown where WebLLM throws them.
 */
export class FakeMLCEngine implements MLCEngineInterface {
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  appConfig: AppConfig | null = null;
  loadedModel: string | null = null;
  private progressCallback: InitProgressCallback | undefined;
  private interrupted = false;

  constructor(private readonly fake: FakeMlcOptions = {}) {}

  chat = { completions: { create: ((request: ChatCompletionRequest) => this.chatCompletion(request)) as MLCEngineInterface['chatCompletion'] } } as unknown as MLCEngineInterface['chat'];
  completions = { create: () => this.unsupported('completions') } as unknown as MLCEngineInterface['completions'];
  embeddings = { create: () => this.unsupported('embeddings') } as unknown as MLCEngineInterface['embeddings'];

  setInitProgressCallback = (callback: InitProgressCallback) => {
    this.progressCallback = callback;
  };
  getInitProgressCallback = () => this.progressCallback;
  setAppConfig = (appConfig: AppConfig) => {
    this.appConfig = appConfig;
  };

  reload = async (modelId: string | string[]) => {
    this.calls.push({ method: 'reload', args: [modelId] });
    const id = Array.isArray(modelId) ? modelId[0] : modelId;
    const record = this.appConfig?.model_list.find((r) => r.model_id === id);
    if (!record) throw new Error(`Cannot find model record in appConfig for ${id}. Please check if the model ID is correct and included in the model_list configuration.`);
    const shards = this.fake.shards ?? 4;
    const started = performance.now();
    const report = (progress: number, text: string) => this.progressCallback?.({ progress, timeElapsed: (performance.now() - started) / 1000, text });
    report(0, 'Start to fetch params');
    for (let i = 1; i <= shards; i++) {
      await sleep(2);
      const percent = Math.round((i / shards) * 100);
      report((i / shards) * 0.8, `Fetching param cache[${i}/${shards}]: ${i * 32}MB fetched. ${percent}% completed, ${((performance.now() - started) / 1000).toFixed(0)} secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`);
      if (this.fake.failReloadWith && i === Math.ceil(shards / 2)) throw this.fake.failReloadWith;
    }
    for (let i = 1; i <= 3; i++) {
      await sleep(2);
      report(0.8 + (i / 3) * 0.19, `Loading GPU shader modules[${i}/3]: ${Math.round((i / 3) * 100)}% completed, 1 secs elapsed.`);
    }
    report(1, `Finish loading on WebGPU - swiftshader`);
    this.loadedModel = id;
  };

  async chatCompletion(request: ChatCompletionRequest): Promise<AsyncIterable<ChatCompletionChunk> & ChatCompletion> {
    this.calls.push({ method: 'chatCompletion', args: [request] });
    if (!this.loadedModel) throw new Error('Model not loaded before trying to complete ChatCompletionRequest. Please ensure you have called `MLCEngine.reload(model)` to load the model before initiating chat operations.');
    const script = typeof this.fake.script === 'function' ? this.fake.script(request) : (this.fake.script ?? ['Hello', ',', ' world', '.']);
    const limit = request.max_tokens ?? Infinity;
    const tokens = script.slice(0, limit);
    const promptTokens = request.messages.reduce((n, m) => n + String(m.content ?? '').split(/\s+/).length, 0);
    const base = { id: `chatcmpl-${Math.random().toString(36).slice(2)}`, created: Math.floor(Date.now() / 1000), model: this.loadedModel };
    this.interrupted = false;
    if (!request.stream) {
      return {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: tokens.length < script.length ? 'length' : 'stop', logprobs: null }],
        usage: { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length, extra: { prefill_tokens_per_s: 500, decode_tokens_per_s: 40, time_to_first_token_s: 0.05, time_per_output_token_s: 0.025, e2e_latency_s: 0.1 } },
      } as unknown as AsyncIterable<ChatCompletionChunk> & ChatCompletion;
    }
    const fake = this.fake;
    const interrupted = () => this.interrupted;
    async function* stream(): AsyncGenerator<ChatCompletionChunk> {
      let sent = 0;
      let reason: ChatCompletionChunk.Choice['finish_reason'] = 'stop';
      for (const token of tokens) {
        if (interrupted()) {
          reason = 'abort';
          break;
        }
        await sleep(fake.tokenDelayMs ?? 1);
        if (fake.failStreamAfter && sent === fake.failStreamAfter.tokens) throw fake.failStreamAfter.error;
        sent++;
        yield { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: token }, finish_reason: null, logprobs: null }] } as ChatCompletionChunk;
      }
      if (reason !== 'abort' && interrupted()) reason = 'abort';
      else if (reason !== 'abort' && tokens.length < script.length) reason = 'length';
      yield { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: reason, logprobs: null }] } as ChatCompletionChunk;
      if (request.stream_options?.include_usage) {
        yield {
          ...base,
          object: 'chat.completion.chunk',
          choices: [],
          usage: { prompt_tokens: promptTokens, completion_tokens: sent, total_tokens: promptTokens + sent, extra: { prefill_tokens_per_s: 500, decode_tokens_per_s: 40, time_to_first_token_s: 0.05, time_per_output_token_s: 0.025, e2e_latency_s: 0.1 } },
        } as unknown as ChatCompletionChunk;
      }
    }
    return stream() as unknown as AsyncIterable<ChatCompletionChunk> & ChatCompletion;
  }

  completion = (() => this.unsupported('completion')) as unknown as MLCEngineInterface['completion'];
  embedding = (() => this.unsupported('embedding')) as unknown as MLCEngineInterface['embedding'];
  listResumableSessions = async () => [];
  resumeChatCompletion = (() => this.unsupported('resumeChatCompletion')) as unknown as MLCEngineInterface['resumeChatCompletion'];
  deleteResumableSession = async () => undefined;
  runtimeStatsText = async () => 'prefill: 500.0000 tokens/sec, decoding: 40.0000 tokens/sec';
  interruptGenerate = () => {
    this.calls.push({ method: 'interruptGenerate', args: [] });
    this.interrupted = true;
  };
  unload = async () => {
    this.calls.push({ method: 'unload', args: [] });
    this.loadedModel = null;
  };
  resetChat = async () => undefined;
  getMessage = async () => '';
  getMaxStorageBufferBindingSize = async () => 1 << 30;
  getGPUVendor = async () => 'swiftshader';
  forwardTokensAndSample = (() => this.unsupported('forwardTokensAndSample')) as unknown as MLCEngineInterface['forwardTokensAndSample'];
  setLogLevel = () => undefined;

  private unsupported(name: string): never {
    throw new Error(`FakeMLCEngine does not implement ${name}; the WebLLM backend never calls it.`);
  }
}

/** The engine factory WebLLM's `CreateWebWorkerMLCEngine` stands for: config, progress callback, reload. */
export function fakeEngineFactory(engine: FakeMLCEngine) {
  const calls: Array<{ modelId: string; appConfig: AppConfig }> = [];
  const factory = async (modelId: string, config: { appConfig: AppConfig; initProgressCallback: InitProgressCallback }) => {
    calls.push({ modelId, appConfig: config.appConfig });
    engine.setAppConfig(config.appConfig);
    engine.setInitProgressCallback(config.initProgressCallback);
    await engine.reload(modelId);
    return engine;
  };
  return Object.assign(factory, { calls });
}

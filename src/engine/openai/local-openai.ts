import type { SlmEngine } from '../slm-engine.js';
import type { ChatMessage, GenerationResult } from '../types.js';
import { SlmError, isAbort } from '../../errors/slm-error.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, OpenAIErrorBody } from './openai-types.js';

/** What `model` may name besides the configured ids: the provider's two LLMs by role. */
const SMALL = new Set(['small', 'slm-small']);

const text = (content: ChatCompletionCreateParams['messages'][number]['content']) =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';

/**
 * OpenAI's Chat Completions API over the engine's local model: the same request and
 * response shapes, streaming included, and a `fetch` that answers `/v1/chat/completions` and
 * `/v1/models` so the official client (given this `fetch`, or through the service-worker
 * route) talks to the model in this tab. Nothing goes over the network.
 */
export class LocalOpenAI {
  readonly chat = { completions: { create: this.create.bind(this) } };
  readonly models = { list: async () => ({ object: 'list' as const, data: this.modelList() }) };

  constructor(private readonly engine: SlmEngine) {}

  create(params: ChatCompletionCreateParams & { stream: true }, options?: { signal?: AbortSignal }): Promise<AsyncIterable<ChatCompletionChunk>>;
  create(params: ChatCompletionCreateParams & { stream?: false | null }, options?: { signal?: AbortSignal }): Promise<ChatCompletion>;
  create(params: ChatCompletionCreateParams, options?: { signal?: AbortSignal }): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>>;
  async create(params: ChatCompletionCreateParams, options: { signal?: AbortSignal } = {}): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> {
    const request = this.check(params);
    return params.stream ? this.stream(params, request, options.signal) : this.complete(request, options.signal);
  }

  /**
   * A `fetch` for the OpenAI client (`new OpenAI({ fetch: engine.openai.fetch, … })`): it
   * serves the API's paths from the local model and refuses everything else, so the client
   * can never reach a server by mistake.
   */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace(/\/+$/, '');
    try {
      if (request.method === 'GET' && path.endsWith('/models')) return json({ object: 'list', data: this.modelList() });
      if (request.method !== 'POST' || !path.endsWith('/chat/completions')) return errorResponse(404, 'not_found', `${request.method} ${path} is not served by the local model.`);
      let params: ChatCompletionCreateParams;
      try {
        params = (await request.json()) as ChatCompletionCreateParams;
      } catch {
        return errorResponse(400, 'invalid_request_error', 'The request body is not JSON.');
      }
      const result = await this.create(params, { signal: request.signal });
      if (!params.stream) return json(result);
      return new Response(sse(result as AsyncIterable<ChatCompletionChunk>), { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' } });
    } catch (error) {
      return fromError(error);
    }
  };

  private modelList() {
    const created = Math.floor(Date.now() / 1000);
    const ids = [this.engine.options.llm, this.engine.options.smallLlm].filter((id): id is string => !!id);
    return ids.map((id) => ({ id, object: 'model' as const, created, owned_by: 'local' }));
  }

  private check(params: ChatCompletionCreateParams) {
    if (!params || !Array.isArray(params.messages) || params.messages.length === 0) throw new SlmError('invalid-argument', '`messages` must be a non-empty array.');
    const messages: ChatMessage[] = params.messages.map((m, i) => {
      if (!m || !['system', 'developer', 'user', 'assistant'].includes(m.role)) throw new SlmError('invalid-argument', `messages[${i}].role must be system, developer, user or assistant.`);
      return { role: m.role === 'developer' ? 'system' : m.role, content: text(m.content) };
    });
    const format = params.response_format;
    const jsonSchema = format?.type === 'json_schema' ? (format.json_schema.schema ?? {}) : format?.type === 'json_object' ? {} : undefined;
    const model = params.model && SMALL.has(params.model) ? ('small' as const) : params.model && params.model === this.engine.options.smallLlm ? ('small' as const) : ('main' as const);
    return {
      messages,
      model,
      name: (model === 'small' ? this.engine.options.smallLlm : this.engine.options.llm) ?? params.model ?? 'local',
      maxTokens: params.max_completion_tokens ?? params.max_tokens ?? undefined,
      temperature: params.temperature ?? undefined,
      jsonSchema,
    };
  }

  private async complete(request: ReturnType<LocalOpenAI['check']>, signal?: AbortSignal): Promise<ChatCompletion> {
    const result = await this.engine.generate(request.messages, { ...request, priority: 'normal', signal });
    return {
      id: `chatcmpl-${crypto.randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.name,
      choices: [{ index: 0, message: { role: 'assistant', content: result.text, refusal: null }, finish_reason: finish(result), logprobs: null }],
      usage: usage(result),
    };
  }

  private async stream(params: ChatCompletionCreateParams, request: ReturnType<LocalOpenAI['check']>, signal?: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>> {
    const id = `chatcmpl-${crypto.randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: ChatCompletionChunk['choices'][0]['delta'], finishReason: 'stop' | 'length' | null = null): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: request.name,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(params.stream_options?.include_usage ? { usage: null } : {}),
    });
    // Tokens arrive by callback; a queue turns them into the async iterator OpenAI's SDK returns.
    const queue: ChatCompletionChunk[] = [chunk({ role: 'assistant', content: '' })];
    let wake: (() => void) | null = null;
    let finished: { result?: GenerationResult; error?: unknown } | null = null;
    const push = (item: ChatCompletionChunk) => {
      queue.push(item);
      wake?.();
    };
    void this.engine.generate(request.messages, { ...request, priority: 'normal', signal, onToken: (token) => push(chunk({ content: token })) }).then(
      (result) => {
        finished = { result };
        wake?.();
      },
      (error: unknown) => {
        finished = { error };
        wake?.();
      },
    );
    const includeUsage = !!params.stream_options?.include_usage;
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length) yield queue.shift()!;
          if (finished) break;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        const { result, error } = finished as { result?: GenerationResult; error?: unknown };
        if (error) throw error;
        yield chunk({}, finish(result!));
        if (includeUsage) yield { ...chunk({}), choices: [], usage: usage(result!) };
      },
    };
  }
}

const finish = (result: GenerationResult): 'stop' | 'length' => (result.finishReason === 'length' ? 'length' : 'stop');
const usage = (result: GenerationResult) => ({
  prompt_tokens: result.stats.promptTokens,
  completion_tokens: result.stats.completionTokens,
  total_tokens: result.stats.promptTokens + result.stats.completionTokens,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function errorResponse(status: number, type: string, message: string, code: string | null = null): Response {
  const body: OpenAIErrorBody = { error: { message, type, param: null, code } };
  return json(body, status);
}

/** Our error codes in OpenAI's terms: what the SDK turns into its typed errors. */
function fromError(error: unknown): Response {
  if (isAbort(error)) return errorResponse(499, 'request_cancelled', 'The request was cancelled.', 'aborted');
  const slm = SlmError.from(error, 'generation-failed');
  const status = slm.code === 'invalid-argument' ? 400 : slm.code === 'not-loaded' || slm.code === 'unknown-model' ? 404 : slm.code === 'out-of-memory' ? 507 : 500;
  return errorResponse(status, status === 400 ? 'invalid_request_error' : 'server_error', slm.message, slm.code);
}

/** Server-sent events, as OpenAI streams them: one `data:` line per chunk, then `[DONE]`. */
function sse(chunks: AsyncIterable<ChatCompletionChunk>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) {
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
        } else controller.enqueue(encoder.encode(`data: ${JSON.stringify(value)}\n\n`));
      } catch (error) {
        const body = await fromError(error).json();
        controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify(body)}\n\n`));
        controller.close();
      }
    },
    cancel() {
      void iterator.return?.();
    },
  });
}

import { StreamedAnswer } from './streamed-answer.js';
import { SlmError } from '../../errors/slm-error.js';
import type { ChatMessage, GenerateOptions, GenerationResult } from '../types.js';
import type { LlmBackend, LoadOptions } from './backend.js';

/** A server that sends nothing for this long while answering is taken for gone (its stream is cut). */
const DEFAULT_STALL_MS = 120_000;

export interface RemoteLlmOptions {
  /** Silence, in milliseconds, after which a request is given up (`llm-endpoint-unreachable`). */
  stallMs?: number;
  /** Sent as `Authorization: Bearer …` with every request (`llmApiKey`). */
  apiKey?: string | null;
  /** The `fetch` to use; tests may pass their own. */
  fetch?: typeof fetch;
}

interface OpenRequest {
  response: Response;
  controller: AbortController;
  release: () => void;
}

/** One OpenAI `chat.completion.chunk`, as far as we read it. */
interface CompletionChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
}

/**
 * A language model on a server the clinic runs (vLLM, llama.cpp's server, Ollama), spoken to
 * with OpenAI's Chat Completions protocol: `POST {endpoint}/chat/completions` with
 * `stream: true`, answered as server-sent events. It sits in a model slot like the on-device
 * backends, so the engine's scheduler, priorities, streaming and JSON-schema path are the
 * same; only the text leaves the device, to the one host configured.
 */
export class RemoteLlmBackend implements LlmBackend {
  private modelId = '';
  private readonly inFlight = new Set<AbortController>();

  constructor(
    readonly endpoint: string,
    private readonly options: RemoteLlmOptions = {},
  ) {}

  /** The host text is sent to, for messages and notices. */
  get host(): string {
    return new URL(this.endpoint).host;
  }

  /** Checks that the server answers and serves the model; nothing is downloaded. */
  async load({ placement, signal, onProgress }: LoadOptions): Promise<void> {
    this.modelId = placement.modelId;
    onProgress({ type: 'phase', phase: 'warmup', fraction: 0, text: `Connecting to ${this.host}` });
    const { response, release } = await this.request('models', { method: 'GET', signal }, 'Connecting');
    release();
    // Some servers have no model list; the first answer then tells whether the model is there.
    if (response.status === 404) return void response.body?.cancel();
    if (!response.ok) throw await httpError(response, this.host, this.modelId);
    const listed = ((await response.json().catch(() => null)) as { data?: Array<{ id?: string }> } | null)?.data?.map((m) => m.id ?? '') ?? [];
    if (listed.length && !listed.includes(this.modelId)) {
      throw new SlmError('unknown-model', `The language model server at ${this.host} has no model "${this.modelId}". It serves: ${listed.join(', ')}. Set llm to one of them.`, { modelId: this.modelId });
    }
  }

  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const { signal, onToken, maxTokens, temperature, jsonSchema } = options;
    const body = {
      model: this.modelId,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(jsonSchema ? { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: jsonSchema, strict: true } } } : {}),
    };
    const answer = new StreamedAnswer<NonNullable<CompletionChunk['usage']>>(onToken);
    const open = await this.request('chat/completions', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify(body), signal }, 'Generation');
    const { response } = open;
    if (!response.ok || !response.body) {
      open.release();
      if (!response.ok) throw await httpError(response, this.host, this.modelId);
      throw new SlmError('llm-endpoint-failed', `The language model server at ${this.host} sent an empty answer; check that it supports streaming ("stream": true).`, { modelId: this.modelId });
    }
    for await (const data of this.events(response.body, open, signal)) {
      if (data === '[DONE]') break;
      answer.add(parseChunk(data, this.host, this.modelId));
    }
    return { text: answer.text, finishReason: answer.finishReason === 'length' ? 'length' : 'stop', stats: answer.stats() };
  }

  /** Cuts every request still open; the server stops generating when its client goes. */
  async unload(): Promise<void> {
    for (const controller of this.inFlight) controller.abort(new SlmError('aborted', 'The language model was unloaded.'));
    this.inFlight.clear();
  }

  /**
   * A fetch to the server that can be stopped by the caller's signal and by `unload()`; for a
   * stream, also by a server that goes silent (see `events`). `release` forgets it.
   */
  private async request(path: string, init: RequestInit & { signal?: AbortSignal }, what: string): Promise<OpenRequest> {
    const { signal, ...rest } = init;
    if (signal?.aborted) throw cancelled(what, this.modelId);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(controller);
    const release = () => {
      signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
    };
    const url = `${this.endpoint.replace(/\/+$/, '')}/${path}`;
    try {
      // No cookies and no referrer: the server learns the text asked about and nothing of the page.
      const headers = new Headers(rest.headers);
      if (this.options.apiKey) headers.set('Authorization', `Bearer ${this.options.apiKey}`);
      const response = await (this.options.fetch ?? fetch)(url, { ...rest, headers, signal: controller.signal, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
      return { response, controller, release };
    } catch (error) {
      release();
      if (signal?.aborted || controller.signal.aborted) throw cancelled(what, this.modelId);
      throw new SlmError(
        'llm-endpoint-unreachable',
        `Could not reach the language model server at ${this.host} (${this.endpoint}). Check that it is running, that llm-endpoint is its OpenAI base URL (ending in /v1), and that it allows this page's origin (${location.origin}) in Access-Control-Allow-Origin.`,
        { cause: error, modelId: this.modelId },
      );
    }
  }

  /** The `data` of each server-sent event of a stream, in order (comments and other fields skipped). */
  private async *events(body: ReadableStream<Uint8Array>, { controller, release }: OpenRequest, signal: AbortSignal | undefined): AsyncGenerator<string> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const stallMs = this.options.stallMs ?? DEFAULT_STALL_MS;
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, stallMs);
    };
    let buffer = '';
    try {
      for (;;) {
        arm();
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          if (stalled) throw new SlmError('llm-endpoint-unreachable', `The language model server at ${this.host} sent nothing for ${Math.round(stallMs / 1000)} s, so the answer was given up; check the server, then try again.`, { cause: error, modelId: this.modelId });
          if (signal?.aborted || controller.signal.aborted) throw cancelled('Generation', this.modelId);
          throw new SlmError('llm-endpoint-unreachable', `The connection to the language model server at ${this.host} broke off mid-answer; try again.`, { cause: error, modelId: this.modelId });
        }
        if (next.done) break;
        buffer += decoder.decode(next.value, { stream: true });
        // Events end with a blank line; CR LF and CR alone are line ends too.
        const events = buffer.split(/\r\n\r\n|\r\r|\n\n/);
        buffer = events.pop() ?? '';
        for (const event of events) {
          const data = dataOf(event);
          if (data !== null) yield data;
        }
      }
      const last = dataOf(buffer);
      if (last !== null) yield last;
    } finally {
      clearTimeout(timer);
      void reader.cancel().catch(() => undefined);
      release();
    }
  }
}

/** The data of one event: its `data:` lines joined by newlines; null for an event without data (a comment, a keep-alive). */
function dataOf(event: string): string | null {
  const lines = event.split(/\r\n|\r|\n/).filter((line) => line === 'data' || line.startsWith('data:'));
  if (!lines.length) return null;
  return lines.map((line) => line.slice(5).replace(/^ /, '')).join('\n');
}

function parseChunk(data: string, host: string, modelId: string): CompletionChunk {
  let chunk: CompletionChunk;
  try {
    chunk = JSON.parse(data) as CompletionChunk;
  } catch (error) {
    throw new SlmError('llm-endpoint-failed', `The language model server at ${host} sent something that is not an OpenAI stream chunk; check that llm-endpoint points at an OpenAI-compatible API.`, { cause: error, modelId });
  }
  if (chunk.error) {
    const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown error');
    throw new SlmError('llm-endpoint-failed', `The language model server at ${host} failed mid-answer: ${message}. Check the server's log, then try again.`, { modelId });
  }
  return chunk;
}

/** An HTTP failure as a typed error whose message says what to do about it. */
async function httpError(response: Response, host: string, modelId: string): Promise<SlmError> {
  const raw = await response.text().catch(() => '');
  let said = raw.slice(0, 300);
  try {
    const parsed = JSON.parse(raw) as { error?: { message?: string } | string; message?: string };
    said = (typeof parsed.error === 'string' ? parsed.error : parsed.error?.message) ?? parsed.message ?? said;
  } catch {
    // Not JSON: the text itself is what the server said.
  }
  const status = `HTTP ${response.status}${said ? `: ${said}` : ''}`;
  const advice =
    response.status === 401 || response.status === 403
      ? 'It wants credentials this page does not send, or refused the key it was sent: set llmApiKey to a key it accepts (a per-user token from your sign-in), or let the app reach it without one (for example inside the clinic network).'
      : response.status === 404
        ? `Check that llm-endpoint is the server's OpenAI base URL (ending in /v1) and that it serves the model "${modelId}".`
        : response.status === 400 || response.status === 422
          ? 'The server did not accept the request; check that it supports streaming and JSON-schema output (response_format), and its log.'
          : response.status === 429 || response.status === 503
            ? 'It is busy; try again in a moment.'
            : "Check the server's log, then try again.";
  return new SlmError('llm-endpoint-failed', `The language model server at ${host} refused the request (${status}). ${advice}`, { modelId });
}

function cancelled(what: string, modelId: string): SlmError {
  return new SlmError('aborted', `${what} was cancelled.`, { modelId });
}

import { createServer } from 'node:http';

/**
 * A stand-in for an on-premises OpenAI-compatible server (vLLM, llama.cpp's server, Ollama),
 * for tests: `GET /v1/models` and `POST /v1/chat/completions`, streamed exactly as OpenAI's
 * Chat Completions API streams (server-sent events of `chat.completion.chunk` objects, a first
 * chunk with the role, one per token, one with `finish_reason`, a usage chunk with empty
 * `choices` when `stream_options.include_usage` is set, then `data: [DONE]`), its errors in
 * OpenAI's `{ error: { message, type, code } }` shape, and CORS as a server configured for the
 * app's origin answers. Replies are scripted by the test; each request is logged, with
 * whether the client went away before the answer ended (a Stop).
 */
export function createOpenAiStandIn({ host = '127.0.0.1', port = 0, models = ['clinic-llm', 'clinic-small'] } = {}) {
  const requests = [];
  /** Replies to give, in order; when none is left the answer echoes the question. */
  const replies = [];
  let fault = null;
  let tokenDelayMs = 0;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    const entry = { method: req.method, path: url.pathname, origin: req.headers.origin ?? null, cookie: req.headers.cookie ?? null, authorization: req.headers.authorization ?? null, referer: req.headers.referer ?? null, body: null, aborted: false, ended: false };
    requests.push(entry);
    try {
      entry.body = raw ? JSON.parse(raw) : null;
    } catch {
      return error(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    if (url.pathname === '/v1/models' && req.method === 'GET') {
      return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'clinic' })) });
    }
    if (url.pathname !== '/v1/chat/completions' || req.method !== 'POST') return error(res, 404, `Unknown request URL: ${req.method} ${url.pathname}.`, 'invalid_request_error');
    const active = fault;
    fault = null;
    if (active?.status) return error(res, active.status, active.message ?? 'The server had an error while processing your request.', 'server_error');
    const body = entry.body;
    if (!body || !Array.isArray(body.messages) || !body.messages.length) return error(res, 400, "'messages' is a required property", 'invalid_request_error');
    if (!models.includes(body.model)) return error(res, 404, `The model \`${body.model}\` does not exist.`, 'NotFoundError');
    const format = body.response_format;
    if (format && !(format.type === 'json_schema' && format.json_schema?.schema) && format.type !== 'json_object' && format.type !== 'text') {
      return error(res, 400, "'response_format.type' must be 'json_schema', 'json_object' or 'text'", 'invalid_request_error');
    }
    const question = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const reply = replies.length ? replies.shift() : `You asked: ${question}`;
    // Words with the space before them, as a tokenizer would cut them.
    const tokens = reply.match(/\s*\S+/g) ?? [];
    const limit = body.max_tokens ?? body.max_completion_tokens ?? Infinity;
    const sent = tokens.slice(0, limit);
    const finish = tokens.length > limit ? 'length' : 'stop';
    const usage = { prompt_tokens: JSON.stringify(body.messages).length >> 2, completion_tokens: sent.length, total_tokens: (JSON.stringify(body.messages).length >> 2) + sent.length };
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      entry.ended = true;
      return json(res, 200, { id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: sent.join('') }, logprobs: null, finish_reason: finish }], usage });
    }
    res.on('close', () => {
      if (!entry.ended) entry.aborted = true;
    });
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const chunk = (choices, extra = {}) => ({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_stand_in', choices, ...extra });
    const send = (value, split = false) => {
      const text = `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
      // The network may cut an event anywhere: half now, half a moment later.
      if (split) {
        res.write(text.slice(0, text.length >> 1));
        return new Promise((resolve) => setTimeout(() => resolve(res.write(text.slice(text.length >> 1))), 1));
      }
      res.write(text);
    };
    send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
    for (const [i, token] of sent.entries()) {
      if (active?.stall && i === 1) return; // Headers and a token sent, then silence, connection open.
      if (active?.crash && i === 2) return void res.socket?.destroy();
      if (tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
      if (res.destroyed || res.writableEnded) return;
      await send(chunk([{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }]), i % 3 === 1);
    }
    send(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }]));
    if (body.stream_options?.include_usage) send(chunk([], { usage }));
    send('[DONE]');
    entry.ended = true;
    res.end();
  });

  const json = (res, status, value) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
  const error = (res, status, message, type) => json(res, status, { error: { message, type, param: null, code: status } });

  return {
    requests,
    get url() {
      const address = server.address();
      return `http://${host}:${address.port}/v1`;
    },
    listen: () => new Promise((resolve) => server.listen(port, host, () => resolve())),
    close: () => new Promise((resolve) => server.close(() => resolve())),
    /** Test commands: `executeServerCommand('openai-stand-in', { action, … })`. */
    plugin() {
      return {
        name: 'openai-stand-in-commands',
        executeCommand: ({ command, payload }) => {
          if (command !== 'openai-stand-in') return undefined;
          switch (payload?.action) {
            case 'url':
              return this.url;
            case 'requests':
              return requests;
            case 'reset':
              requests.length = 0;
              replies.length = 0;
              fault = null;
              tokenDelayMs = 0;
              return true;
            case 'script':
              replies.push(...(payload.replies ?? []));
              tokenDelayMs = payload.tokenDelayMs ?? tokenDelayMs;
              return true;
            case 'fault':
              // { status, message } answers the next completion with an HTTP error; { stall } or { crash } cut its stream.
              fault = payload.fault;
              return true;
            default:
              throw new Error(`unknown openai-stand-in action ${payload?.action}`);
          }
        },
      };
    },
  };
}

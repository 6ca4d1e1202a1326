import type { OpenAIErrorBody } from './openai-types.js';
import type { RouteLimits } from './route-protocol.js';

/** A request the route answers itself, without asking a page. */
export interface Refusal {
  status: number;
  body: OpenAIErrorBody;
}

export function refusal(status: number, message: string, code: string, param: string | null = null): Refusal {
  const type = status === 503 ? 'server_error' : 'invalid_request_error';
  return { status, body: { error: { message, type, param, code } } };
}

export function refusalResponse({ status, body }: Refusal): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/**
 * Why the route will not pass a request to a page, or `null` when it may (with its body read
 * once here). Navigations and requests without a client are refused: only a script of the
 * page that runs the model may reach it, never a link, a form or a document opened elsewhere
 * (a cross-site form can post `text/plain` without any CORS check, hence JSON only).
 */
export async function check(request: Request, clientId: string, limits: RouteLimits): Promise<Refusal | { body: string | null }> {
  if (request.mode === 'navigate') return refusal(403, 'The API answers scripts of this page only, not navigations (a link, a form or the address bar).', 'navigation_refused');
  if (!clientId) return refusal(403, 'The request comes from no page, so no page’s model may answer it.', 'no_client');
  if (request.method === 'GET' || request.method === 'HEAD') return { body: null };
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return refusal(415, `The request body must be JSON (content-type: application/json), not ${type || 'untyped'}.`, 'unsupported_media_type');
  const body = await request.text();
  let params: unknown;
  try {
    params = JSON.parse(body);
  } catch {
    return refusal(400, 'The request body is not valid JSON.', 'invalid_json');
  }
  if (!params || typeof params !== 'object' || Array.isArray(params)) return refusal(400, 'The request body must be a JSON object.', 'invalid_json');
  for (const param of ['max_tokens', 'max_completion_tokens'] as const) {
    const value = (params as Record<string, unknown>)[param];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return refusal(400, `${param} must be a positive whole number.`, 'invalid_value', param);
    if (value > limits.maxTokens) return refusal(400, `${param} is too large: ${value}. This route allows at most ${limits.maxTokens} tokens per answer.`, 'max_tokens_exceeded', param);
  }
  return { body };
}

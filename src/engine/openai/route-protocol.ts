/** Messages between the OpenAI route's service worker and the page that runs the model. */
export interface RouteRequest {
  type: 'slm-openai-request';
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
}

export type RouteMessage =
  // Sent at once, before the model runs: a page that does not send it within the answer timeout is not serving the route.
  | { type: 'accepted' }
  | { type: 'head'; status: number; headers: Array<[string, string]> }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' };

/** What the route enforces; the page passes them to its service worker in the script's URL. */
export interface RouteLimits {
  /** The largest `max_tokens` (or `max_completion_tokens`) a request may ask for. */
  maxTokens: number;
  /** How long a page has to take a request before the route answers 503. */
  answerTimeoutMs: number;
}

export const DEFAULT_ROUTE_LIMITS: RouteLimits = { maxTokens: 4096, answerTimeoutMs: 10_000 };

const PARAMS = { maxTokens: 'max-tokens', answerTimeoutMs: 'answer-timeout-ms' } as const;

/** The service worker's script URL carrying the limits. */
export function withLimits(url: URL, limits: RouteLimits): URL {
  const withParams = new URL(url);
  for (const [name, param] of Object.entries(PARAMS)) withParams.searchParams.set(param, String(limits[name as keyof RouteLimits]));
  return withParams;
}

/** The limits in a script URL; a missing or unusable value keeps its default. */
export function limitsOf(url: URL): RouteLimits {
  const limits = { ...DEFAULT_ROUTE_LIMITS };
  for (const [name, param] of Object.entries(PARAMS)) {
    const value = Number(url.searchParams.get(param));
    if (Number.isFinite(value) && value > 0) limits[name as keyof RouteLimits] = value;
  }
  return limits;
}

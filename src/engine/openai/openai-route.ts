import type { SlmEngine } from '../slm-engine.js';
import { SlmError } from '../../errors/slm-error.js';
import { DEFAULT_ROUTE_LIMITS, withLimits, type RouteMessage, type RouteRequest } from './route-protocol.js';

export interface OpenAIRouteOptions {
  /**
   * URL of the route's service worker (`dist/openai/openai-route.sw.js`); default the copy
   * beside this module. To serve `/v1/…` at the site root, the script must be served from
   * the root or with the header `Service-Worker-Allowed: /`.
   */
  serviceWorkerUrl?: string | URL;
  /** Default `/`: the route answers `{scope}v1/chat/completions`. */
  scope?: string;
  /**
   * The largest `max_tokens` (or `max_completion_tokens`) a request may ask for; a larger
   * one is refused with 400 before it reaches the model. Default 4096.
   */
  maxTokens?: number;
  /**
   * How long the page has to take a request before the route answers 503 (a page under the
   * worker's scope that does not serve the route, or one that is stuck). Default 10,000 ms.
   * It bounds the wait for the page, not the answer: a long generation is not cut off.
   */
  answerTimeoutMs?: number;
}

export interface OpenAIRoute {
  /** Stops answering (the page no longer serves the route); `unregister` removes the worker too. */
  close(): void;
  unregister(): Promise<void>;
}

/**
 * Serves OpenAI's `/v1/chat/completions` (and `/v1/models`) from this page's engine, through
 * a service worker, so an unmodified OpenAI client in the page (`baseURL: location.origin +
 * '/v1'`) talks to the local model. Resolves once the worker controls the page.
 */
export async function serveOpenAIRoute(engine: SlmEngine, options: OpenAIRouteOptions = {}): Promise<OpenAIRoute> {
  if (!('serviceWorker' in navigator)) throw new SlmError('invalid-argument', 'Service workers are not available here (they need HTTPS or localhost).');
  const limits = { maxTokens: options.maxTokens ?? DEFAULT_ROUTE_LIMITS.maxTokens, answerTimeoutMs: options.answerTimeoutMs ?? DEFAULT_ROUTE_LIMITS.answerTimeoutMs };
  if (!(limits.maxTokens >= 1) || !(limits.answerTimeoutMs > 0)) throw new SlmError('invalid-argument', 'maxTokens and answerTimeoutMs must be positive numbers.');
  // The worker reads its limits from its own URL: it has no other way to hear from the page before a request.
  const url = withLimits(new URL(options.serviceWorkerUrl ?? new URL('./openai-route.sw.js', import.meta.url), location.href), limits);
  const registration = await navigator.serviceWorker.register(url, { scope: options.scope ?? '/', type: 'module' });
  const container = navigator.serviceWorker;
  const onMessage = (event: MessageEvent) => {
    const data = event.data as RouteRequest | undefined;
    if (data?.type !== 'slm-openai-request' || !event.ports[0]) return;
    void answer(engine, data, event.ports[0]);
  };
  container.addEventListener('message', onMessage);
  container.startMessages?.();
  // Until this registration's worker, with these limits, controls the page, an earlier one (other limits, or one
  // being unregistered, which `register` may revive and then update in place) may answer.
  const ours = (worker: ServiceWorker | null) => worker !== null && worker.scriptURL === url.href;
  while (!ours(registration.active) || container.controller !== registration.active) {
    await new Promise<void>((resolve) => {
      container.addEventListener('controllerchange', () => resolve(), { once: true });
      registration.addEventListener('updatefound', () => resolve(), { once: true });
      const pending = registration.installing ?? registration.waiting;
      if (pending) pending.addEventListener('statechange', () => resolve(), { once: true });
      // Ours, active but not in control (the page was loaded without it, e.g. a hard reload): it claims the page when asked.
      else if (ours(registration.active)) registration.active?.postMessage({ type: 'slm-openai-claim' });
      // The update job may not have begun installing yet: look again shortly rather than wait on an event already past.
      setTimeout(resolve, 100);
    });
  }
  await registration.update().catch(() => undefined);
  return {
    close: () => container.removeEventListener('message', onMessage),
    unregister: async () => {
      container.removeEventListener('message', onMessage);
      await registration.unregister();
    },
  };
}

async function answer(engine: SlmEngine, request: RouteRequest, port: MessagePort): Promise<void> {
  const send = (message: RouteMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  send({ type: 'accepted' });
  const aborter = new AbortController();
  port.onmessage = ({ data }) => data?.type === 'cancel' && aborter.abort();
  const response = await engine.openai.fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: aborter.signal });
  send({ type: 'head', status: response.status, headers: [...response.headers] });
  const reader = response.body?.getReader();
  try {
    for (;;) {
      if (!reader) break;
      const { value, done } = await reader.read();
      if (done) break;
      send({ type: 'chunk', bytes: value }, [value.buffer]);
    }
  } finally {
    send({ type: 'end' });
    port.close();
  }
}

import type { SlmEngine } from '../slm-engine.js';
import { SlmError } from '../../errors/slm-error.js';
import type { RouteMessage, RouteRequest } from './route-protocol.js';

export interface OpenAIRouteOptions {
  /**
   * URL of the route's service worker (`dist/openai/openai-route.sw.js`); default the copy
   * beside this module. To serve `/v1/…` at the site root, the script must be served from
   * the root or with the header `Service-Worker-Allowed: /`.
   */
  serviceWorkerUrl?: string | URL;
  /** Default `/`: the route answers `{scope}v1/chat/completions`. */
  scope?: string;
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
  const url = options.serviceWorkerUrl ?? new URL('./openai-route.sw.js', import.meta.url);
  const registration = await navigator.serviceWorker.register(url, { scope: options.scope ?? '/', type: 'module' });
  const container = navigator.serviceWorker;
  const onMessage = (event: MessageEvent) => {
    const data = event.data as RouteRequest | undefined;
    if (data?.type !== 'slm-openai-request' || !event.ports[0]) return;
    void answer(engine, data, event.ports[0]);
  };
  container.addEventListener('message', onMessage);
  container.startMessages?.();
  if (!container.controller) {
    await new Promise<void>((resolve) => container.addEventListener('controllerchange', () => resolve(), { once: true }));
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

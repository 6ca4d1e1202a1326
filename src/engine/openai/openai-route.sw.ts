/// <reference lib="webworker" />
/**
 * The service worker of the OpenAI-compatible route: it answers same-origin requests to
 * `…/v1/chat/completions` and `…/v1/models` by asking the page that made them, whose engine
 * runs the model, and streams the page's answer back. It fetches nothing itself, and any
 * other request passes by untouched. What it refuses is in `route-guard.ts`.
 */
import { check, refusal, refusalResponse } from './route-guard.js';
import { limitsOf, type RouteMessage, type RouteRequest } from './route-protocol.js';

declare const self: ServiceWorkerGlobalScope;

const API_PATH = /\/v1\/(?:chat\/completions|models)\/?$/;
const limits = limitsOf(new URL(self.location.href));

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'slm-openai-claim') event.waitUntil(self.clients.claim());
});
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !API_PATH.test(url.pathname)) return;
  event.respondWith(forward(event));
});

async function forward(event: FetchEvent): Promise<Response> {
  const request = event.request;
  const checked = await check(request, event.clientId, limits);
  if ('status' in checked) return refusalResponse(checked);
  // Only the page that asked: another open window may run another app, or another patient's visit.
  const client = await self.clients.get(event.clientId);
  if (!client) return refusalResponse(refusal(503, 'The page that sent the request is gone.', 'not-loaded'));
  const message: RouteRequest = { type: 'slm-openai-request', url: request.url, method: request.method, headers: [...request.headers], body: checked.body };
  const channel = new MessageChannel();
  client.postMessage(message, [channel.port2]);
  return new Promise<Response>((resolve) => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      // The client stopped reading (the SDK's stream was aborted): the page stops the model.
      cancel: () => channel.port1.postMessage({ type: 'cancel' }),
    });
    const unanswered = setTimeout(() => {
      channel.port1.close();
      resolve(refusalResponse(refusal(503, `No page took the request within ${limits.answerTimeoutMs} ms: the page that sent it does not serve the route (serveOpenAIRoute) or is stuck.`, 'no_answer')));
    }, limits.answerTimeoutMs);
    channel.port1.onmessage = ({ data }: MessageEvent<RouteMessage>) => {
      if (data.type === 'accepted') clearTimeout(unanswered);
      else if (data.type === 'head') resolve(new Response(body, { status: data.status, headers: data.headers }));
      else if (data.type === 'chunk') controller.enqueue(data.bytes);
      else {
        controller.close();
        channel.port1.close();
      }
    };
  });
}

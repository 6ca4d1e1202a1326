/// <reference lib="webworker" />
/**
 * The service worker of the OpenAI-compatible route: it answers same-origin requests to
 * `…/v1/chat/completions` and `…/v1/models` by asking the page that made them, whose engine
 * runs the model, and streams the page's answer back. It fetches nothing itself, and any
 * other request passes by untouched.
 */
import type { RouteMessage, RouteRequest } from './route-protocol.js';

declare const self: ServiceWorkerGlobalScope;

const API_PATH = /\/v1\/(?:chat\/completions|models)\/?$/;

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !API_PATH.test(url.pathname)) return;
  event.respondWith(forward(event));
});

async function forward(event: FetchEvent): Promise<Response> {
  const client = (await self.clients.get(event.clientId)) ?? (await self.clients.matchAll({ type: 'window' }))[0];
  if (!client) return new Response(JSON.stringify({ error: { message: 'No page with a model is open.', type: 'server_error', param: null, code: 'not-loaded' } }), { status: 503, headers: { 'content-type': 'application/json' } });
  const request = event.request;
  const message: RouteRequest = { type: 'slm-openai-request', url: request.url, method: request.method, headers: [...request.headers], body: request.method === 'GET' ? null : await request.text() };
  const channel = new MessageChannel();
  client.postMessage(message, [channel.port2]);
  return new Promise<Response>((resolve) => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      // The client stopped reading (the SDK's stream was aborted): the page stops the model.
      cancel: () => channel.port1.postMessage({ type: 'cancel' }),
    });
    channel.port1.onmessage = ({ data }: MessageEvent<RouteMessage>) => {
      if (data.type === 'head') resolve(new Response(body, { status: data.status, headers: data.headers }));
      else if (data.type === 'chunk') controller.enqueue(data.bytes);
      else {
        controller.close();
        channel.port1.close();
      }
    };
  });
}

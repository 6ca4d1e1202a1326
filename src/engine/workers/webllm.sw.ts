/// <reference lib="webworker" />
/**
 * WebLLM in a service worker (`webllm-worker="service"`): one engine for every tab of the
 * origin, which outlives a reload while any tab keeps it alive. A page reconnects to the model
 * (and its cache) still loaded here instead of loading it again.
 *
 * A page has one service worker per scope: an app that also serves the OpenAI route, or has a
 * service worker of its own, imports this module into that one script instead.
 */
// Static on purpose: service workers may not use import(), and this script exists only to host WebLLM.
// eslint-disable-next-line no-restricted-imports
import { ServiceWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
import { isWebLlmFilesMessage, useModelFilesForWebLlm } from '../model-files/webllm-files.js';

declare const self: ServiceWorkerGlobalScope;

// Ours, sent by a page before it loads a model: WebLLM's downloads from the model host get
// retries and pins. Listening before WebLLM's handler, so WebLLM never sees it.
self.addEventListener('message', (event) => {
  if (!isWebLlmFilesMessage(event.data)) return;
  event.stopImmediatePropagation();
  useModelFilesForWebLlm(self, event.data);
});

// Made while the script is first evaluated: the browser may restart an active worker without
// an `activate` event, and WebLLM's handler must be listening from the start.
new ServiceWorkerMLCEngineHandler();

self.addEventListener('install', () => void self.skipWaiting());
// Takes the open pages at once, so the first load needs no second reload to be served from here.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

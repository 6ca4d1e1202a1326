/// <reference lib="webworker" />
/**
 * WebLLM in a service worker (`webllm-worker="service"`): one engine for every tab of the
 * origin, which outlives a reload while any tab keeps it alive. A page reconnects to the model
 * (and its cache) still loaded here instead of loading it again.
 *
 * A page has one service worker per scope: an app that also serves the OpenAI route, or has a
 * service worker of its own, imports this module into that one script instead.
 */
import type { AppConfig } from '@mlc-ai/web-llm';
// Static on purpose: service workers may not use import(), and this script exists only to host WebLLM.
// eslint-disable-next-line no-restricted-imports
import { ServiceWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
import { isWebLlmFilesMessage, useModelFilesForWebLlm } from '../model-files/webllm-files.js';
import { ServiceWorkerMemory } from './webllm-sw-memory.js';

declare const self: ServiceWorkerGlobalScope;

// The real Cache Storage, before WebLLM's downloads get a checking one in its place.
const memory = new ServiceWorkerMemory(self.caches);

/**
 * Everything this worker does with a message, one after another in the order they arrived,
 * after what the pages told an earlier run of it is put back. The browser stops an idle service
 * worker (and may stop it between two messages of one load); WebLLM, asked for an answer by a
 * page whose model this run never loaded, loads it again by itself, and without what was kept
 * it would fetch from WebLLM's default model list, past the model host's retries and pins.
 */
let queue: Promise<unknown> = Promise.resolve();
const inOrder = (work: () => unknown) => {
  queue = queue.then(work).catch(() => undefined);
};

/** Whether a page sent this run our message: then it is newer than anything kept. */
let told = false;

/** Puts back the kept model-file configuration (and, when the worker starts, WebLLM's model records). */
async function restore({ appConfig: withAppConfig }: { appConfig: boolean }): Promise<void> {
  const { files, appConfig } = await memory.read();
  try {
    if (files && !told) useModelFilesForWebLlm(self, files);
    if (appConfig && withAppConfig) handler.engine.setAppConfig(appConfig);
  } catch {
    // A configuration kept by another version of this script: the next page's message replaces it.
  }
}

// Ours, sent by a page before it loads a model: WebLLM's downloads from the model host get
// retries and pins. Listening before WebLLM's handler, so WebLLM never sees it.
self.addEventListener('message', (event) => {
  if (!isWebLlmFilesMessage(event.data)) return;
  event.stopImmediatePropagation();
  const files = event.data;
  told = true;
  inOrder(() => useModelFilesForWebLlm(self, files));
  // The page's port for retry reports lives only as long as that page: not kept.
  const { progress: _port, ...kept } = files;
  event.waitUntil(memory.remember({ files: kept }));
});

/** WebLLM's handler, taking each message in its turn (see `inOrder`). */
class RememberingHandler extends ServiceWorkerMLCEngineHandler {
  override onmessage(event: ExtendableMessageEvent, onComplete?: (value: unknown) => void, onError?: () => void): void {
    const message = event.data as { kind?: string; content?: unknown } | null;
    if (message?.kind === 'setAppConfig') event.waitUntil(memory.remember({ appConfig: message.content as AppConfig }));
    // A load this run was told nothing for: our message may have gone to the worker this one
    // replaced (a new version took over between it and WebLLM's), which kept it by now.
    if (message?.kind === 'reload' && !told) inOrder(() => restore({ appConfig: false }));
    inOrder(() => super.onmessage(event, onComplete, onError));
  }
}

// Made while the script is first evaluated: the browser may restart an active worker without
// an `activate` event, and WebLLM's handler must be listening from the start.
const handler = new RememberingHandler();
// Queued before any message can arrive, so it runs before any message is handled.
inOrder(() => restore({ appConfig: true }));

self.addEventListener('install', () => void self.skipWaiting());
// Takes the open pages at once, so the first load needs no second reload to be served from here.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

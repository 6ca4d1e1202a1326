import { SlmError } from '../../errors/slm-error.js';
import type { ModelHostConfig } from '../types.js';
import { splitModelUrl, type IntegrityPins } from './integrity.js';
import { ModelFiles } from './model-files.js';
import { VerifiedCache } from './verified-cache.js';
import { VerifiedMarks } from './verified-marks.js';

/**
 * Sent to WebLLM's worker (dedicated or service) before WebLLM's own messages: where model
 * files come from, their pins (the preset's; the engine's are in `host`) and the retry policy.
 */
export interface WebLlmFilesMessage {
  type: 'slm-model-files';
  host: ModelHostConfig;
  pins?: IntegrityPins;
  /**
   * Where a request to the model host that failed and waits to be tried again is told
   * (`WebLlmRetryMessage`): WebLLM's own reports say nothing while nothing arrives. Transferred
   * with the message; never kept by the service worker.
   */
  progress?: MessagePort;
}

/** Sent on `WebLlmFilesMessage.progress` before each wait for another try. */
export interface WebLlmRetryMessage {
  type: 'retry';
  /** The file's path in the model's folder (`params_shard_3.bin`). */
  file: string;
  attempt: number;
  of: number;
  delayMs: number;
}

export const isWebLlmRetryMessage = (data: unknown): data is WebLlmRetryMessage =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'retry' && typeof (data as { file?: unknown }).file === 'string';

export const isWebLlmFilesMessage = (data: unknown): data is WebLlmFilesMessage =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'slm-model-files';

/** The Cache Storage names WebLLM keeps model files under (`webllm/config`, `webllm/wasm`, `webllm/model`). */
const WEBLLM_CACHE = /^webllm\//;

/** The global scope of WebLLM's worker, as far as its downloads go. */
export interface WebLlmScope {
  caches: CacheStorage;
  fetch: typeof fetch;
}

interface Installed {
  files: ModelFiles | null;
  hostBase: string;
  realCaches: CacheStorage;
  realFetch: typeof fetch;
}

const installed = new WeakMap<object, Installed>();

/**
 * Gives WebLLM's downloads from the model host what Transformers.js's get (retries, backoff,
 * Range resume, integrity pins, checked cached files; see `ModelFiles`). WebLLM has no fetch
 * hook, and with its Cache API store it downloads with `Cache.add`, which no `fetch` wrapper
 * sees; so in its worker `caches` becomes a Cache Storage whose `webllm/*` caches fetch the
 * model host's URLs through our fetch (`add`) and check what they hand out (`match`), and
 * `fetch` sends the model host's URLs through ours too (WebLLM's other stores, and files it
 * does not cache). Anything else passes through untouched. Called again (a new model, a new
 * host), it only swaps the configuration.
 */
export function useModelFilesForWebLlm(scope: WebLlmScope, message: WebLlmFilesMessage): void {
  let state = installed.get(scope);
  if (!state) {
    state = { files: null, hostBase: '', realCaches: scope.caches, realFetch: scope.fetch.bind(scope) };
    installed.set(scope, state);
    install(scope, state);
  }
  // WebLLM caches whatever the app says, so the host's manifest is kept with its files too.
  const files = new ModelFiles({ ...message.host, useBrowserCache: true }, message.pins, state.realFetch, new VerifiedMarks(state.realCaches));
  const hostBase = new URL(message.host.host.replace(/\/*$/, '/'), globalThis.location?.href).href;
  const port = message.progress;
  if (typeof port?.postMessage === 'function') {
    files.onRetry = ({ url, attempt, of, delayMs }) => {
      const file = splitModelUrl(url)?.file ?? (url.startsWith(hostBase) ? url.slice(hostBase.length) : url);
      // Telling is best effort: a page that went away must not fail the download.
      try {
        port.postMessage({ type: 'retry', file, attempt, of, delayMs } satisfies WebLlmRetryMessage);
      } catch {
        // Nobody to tell.
      }
    };
  }
  state.files = files;
  state.hostBase = hostBase;
}

function install(scope: WebLlmScope, state: Installed): void {
  const { realCaches, realFetch } = state;
  const ours = (url: string) => state.files !== null && state.hostBase !== '' && url.startsWith(state.hostBase);

  const storage: CacheStorage = {
    open: async (name: string) => {
      const cache = await realCaches.open(name);
      return WEBLLM_CACHE.test(name) && state.files ? checkedCache(name, cache, state.files, realCaches, ours) : cache;
    },
    has: (name: string) => realCaches.has(name),
    delete: (name: string) => realCaches.delete(name),
    keys: () => realCaches.keys(),
    match: (request: RequestInfo | URL, options?: MultiCacheQueryOptions) => realCaches.match(request, options),
  };
  Object.defineProperty(scope, 'caches', { value: storage, configurable: true });
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (!ours(url)) return realFetch(input, init);
    return state.files!.fetch(url, { ...init, signal: init?.signal ?? (input instanceof Request ? input.signal : undefined) }).catch((error: unknown) => {
      throw acrossWebLlm(error);
    });
  };
}

/** A `webllm/*` cache whose model-host files are fetched through `files` and checked before use. */
function checkedCache(name: string, real: Cache, files: ModelFiles, storage: CacheStorage, ours: (url: string) => boolean): Cache {
  const verified = new VerifiedCache(name, (url) => files.expect(url, false), (url) => files.verifiedPin(url), new VerifiedMarks(storage), storage);
  const add = async (request: RequestInfo | URL): Promise<void> => {
    const url = urlOf(request);
    if (!ours(url)) return real.add(request);
    try {
      const response = await files.fetch(url, { signal: request instanceof Request ? request.signal : undefined });
      // Cache.add's own words for an answer that is not OK, which WebLLM's errors are matched on.
      if (!response.ok) throw new TypeError(`Failed to execute 'add' on 'Cache': Request failed (the model host answered ${response.status} for ${url})`);
      await putWatched(verified, url, response);
    } catch (error) {
      throw acrossWebLlm(error);
    }
  };
  return {
    match: (request: RequestInfo | URL, options?: CacheQueryOptions) => {
      const url = urlOf(request);
      return ours(url) ? verified.match(url) : real.match(request, options);
    },
    matchAll: (request?: RequestInfo | URL, options?: CacheQueryOptions) => real.matchAll(request, options),
    add,
    addAll: async (requests: Iterable<RequestInfo>) => {
      for (const request of requests) await add(request);
    },
    put: (request: RequestInfo | URL, response: Response) => real.put(request, response),
    delete: (request: RequestInfo | URL, options?: CacheQueryOptions) => {
      const url = urlOf(request);
      return ours(url) ? verified.delete(url) : real.delete(request, options);
    },
    keys: (request?: RequestInfo | URL, options?: CacheQueryOptions) => real.keys(request, options),
  } as Cache;
}

/**
 * Stores a download, keeping the error its body failed with: `Cache.put` reports a failed
 * body only as a `TypeError`, and the refusal of a pin must reach the app as itself.
 */
async function putWatched(verified: VerifiedCache, url: string, response: Response): Promise<void> {
  let failure: unknown = null;
  const reader = response.body?.getReader();
  const body = reader
    ? new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const next = await reader.read();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          } catch (error) {
            failure = error;
            controller.error(error);
          }
        },
        cancel: (reason) => reader.cancel(reason),
      })
    : null;
  try {
    await verified.put(url, new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }));
  } catch (error) {
    throw failure ?? error;
  }
}

/**
 * WebLLM hands a worker's error to the page as its `toString()`, so the class and code are lost;
 * ours are written so that the page reads them back (`toSlmError`): "SlmError[code]: message".
 */
function acrossWebLlm(error: unknown): unknown {
  if (!(error instanceof SlmError)) return error;
  return Object.assign(new Error(error.message), { name: `SlmError[${error.code}]` });
}

const urlOf = (input: RequestInfo | URL) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, globalThis.location?.href).href;

import type { AppConfig } from '@mlc-ai/web-llm';
import type { WebLlmFilesMessage } from '../model-files/webllm-files.js';

/**
 * The Cache Storage cache where WebLLM's service worker keeps what the pages told it: the
 * browser may stop the worker between two messages of one load, or between a load and the
 * next request (which WebLLM then answers by loading the model again, see its
 * `reloadIfUnmatched`), and a worker started afresh would otherwise fetch from WebLLM's default
 * model list, without retries or pins.
 */
export const WEBLLM_SW_MEMORY = 'slm-webllm-service-worker';

/** What a page told the worker last. */
export interface WebLlmServiceWorkerMemory {
  /** Our `slm-model-files` message: the model host, its pins, the retry policy. */
  files?: WebLlmFilesMessage;
  /** WebLLM's `setAppConfig`: the model records (pointing at the model host). */
  appConfig?: AppConfig;
}

export class ServiceWorkerMemory {
  /** Writes one after another, each over what the one before left. */
  private writing: Promise<void> = Promise.resolve();

  /**
   * @param storage the real Cache Storage (in the worker, `caches` is replaced by one that
   *   checks WebLLM's files).
   */
  constructor(
    private readonly storage: CacheStorage,
    private readonly key = new URL('slm-webllm-service-worker.json', globalThis.location?.href).href,
  ) {}

  /** What was kept; nothing when nothing was, or it cannot be read. */
  async read(): Promise<WebLlmServiceWorkerMemory> {
    try {
      if (!(await this.storage.has(WEBLLM_SW_MEMORY))) return {};
      const response = await (await this.storage.open(WEBLLM_SW_MEMORY)).match(this.key);
      const value = response ? ((await response.json()) as unknown) : null;
      return typeof value === 'object' && value !== null ? (value as WebLlmServiceWorkerMemory) : {};
    } catch {
      return {};
    }
  }

  /** Keeps `part` over what was kept before. */
  remember(part: WebLlmServiceWorkerMemory): Promise<void> {
    this.writing = this.writing.then(async () => {
      const next = { ...(await this.read()), ...part };
      await (await this.storage.open(WEBLLM_SW_MEMORY)).put(this.key, new Response(JSON.stringify(next), { headers: { 'content-type': 'application/json' } }));
    });
    // A failed write loses only the memory; the next write starts from what was kept.
    this.writing = this.writing.catch(() => undefined);
    return this.writing;
  }
}

/** Cache Storage names the runtimes write model files into. */
export const MODEL_CACHE_NAMES = ['transformers-cache', 'webllm/model', 'webllm/wasm', 'webllm/config'] as const;

export interface CachedModel {
  /** `org/name`, as in the model's URL. */
  modelId: string;
  files: number;
  bytes: number;
}

const modelIdOf = (url: string) => /\/([^/]+\/[^/]+)\/resolve\//.exec(new URL(url).pathname)?.[1] ?? null;

/**
 * The models this browser keeps for offline use, and a way to free their space. Both
 * runtimes cache through Cache Storage under URLs of the Hugging Face layout, so one
 * listing covers them.
 */
export class ModelCache {
  constructor(private readonly storage: CacheStorage | undefined = globalThis.caches) {}

  async list(): Promise<CachedModel[]> {
    const models = new Map<string, CachedModel>();
    for (const name of await this.cacheNames()) {
      const cache = await this.storage!.open(name);
      for (const request of await cache.keys()) {
        const modelId = modelIdOf(request.url);
        if (!modelId) continue;
        const entry = models.get(modelId) ?? { modelId, files: 0, bytes: 0 };
        entry.files++;
        entry.bytes += await sizeOf(await cache.match(request));
        models.set(modelId, entry);
      }
    }
    return [...models.values()].sort((a, b) => a.modelId.localeCompare(b.modelId));
  }

  /** Deletes every cached file of one model; resolves to the number of files removed. */
  async delete(modelId: string): Promise<number> {
    let removed = 0;
    for (const name of await this.cacheNames()) {
      const cache = await this.storage!.open(name);
      for (const request of await cache.keys()) {
        if (modelIdOf(request.url) === modelId && (await cache.delete(request))) removed++;
      }
    }
    return removed;
  }

  async clear(): Promise<void> {
    for (const name of await this.cacheNames()) await this.storage!.delete(name);
  }

  private async cacheNames(): Promise<string[]> {
    if (!this.storage) return [];
    const existing = await this.storage.keys();
    return MODEL_CACHE_NAMES.filter((name) => existing.includes(name));
  }
}

async function sizeOf(response: Response | undefined): Promise<number> {
  if (!response) return 0;
  const header = Number(response.headers.get('content-length'));
  return Number.isFinite(header) && header > 0 ? header : (await response.blob()).size;
}

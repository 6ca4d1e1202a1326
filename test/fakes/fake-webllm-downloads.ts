import type { InitProgressReport, ModelRecord } from '@mlc-ai/web-llm';

/**
 * WebLLM 0.2.86's downloads with its default store (`cacheBackend: 'cache'`), step for step, for
 * the fake engine: tvmjs's `ArtifactCache` (`fetchWithCache` = `addToCache` (match, then
 * `Cache.add`) then match again; `hasAllKeys` over `keys()`), and `reloadInternal`'s order:
 * `mlc-chat-config.json` (scope `webllm/config`), the model library (`webllm/wasm`), the
 * tokenizer and `tensor-cache.json` with its shards (`webllm/model`), shards fetched by four
 * loops side by side unless all are cached, then each read back from the cache. What WebLLM
 * does after (compiling the library, copying weights to the GPU) needs a real model library.
 */
class ArtifactCache {
  private cache: Cache | undefined;

  constructor(
    private readonly scope: string,
    private readonly storage: CacheStorage,
  ) {}

  async fetchWithCache(url: string, storetype?: 'json' | 'arraybuffer', signal?: AbortSignal): Promise<unknown> {
    await this.addToCache(url, signal);
    const result = await this.cache!.match(new Request(url));
    if (result === undefined) throw Error('Cannot fetch ' + url);
    return storetype === 'json' ? result.json() : storetype === 'arraybuffer' ? result.arrayBuffer() : result;
  }

  async addToCache(url: string, signal?: AbortSignal): Promise<void> {
    const request = new Request(url, signal ? { signal } : undefined);
    this.cache ??= await this.storage.open(this.scope);
    const result = await this.cache.match(request);
    if (result === undefined) await this.cache.add(request);
  }

  async hasAllKeys(keys: string[]): Promise<boolean> {
    this.cache ??= await this.storage.open(this.scope);
    return this.cache
      .keys()
      .then((requests) => requests.map((request) => request.url))
      .then((cached) => keys.every((key) => cached.includes(key)))
      .catch(() => false);
  }
}

/** WebLLM's `cleanModelUrl`: `…/org/name` → `…/org/name/resolve/main/`. */
function cleanModelUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

interface TensorCache {
  records: Array<{ dataPath: string; nbytes: number }>;
}

/** Fetches a model record's files as WebLLM's `reload` does, reporting in its words. */
export async function downloadAsWebLlm(record: ModelRecord, storage: CacheStorage, report: (r: InitProgressReport) => void, signal?: AbortSignal): Promise<void> {
  const modelUrl = cleanModelUrl(record.model);
  const config = JSON.parse(new TextDecoder().decode((await new ArtifactCache('webllm/config', storage).fetchWithCache(new URL('mlc-chat-config.json', modelUrl).href, 'arraybuffer', signal)) as ArrayBuffer)) as {
    tokenizer_files: string[];
  };
  await new ArtifactCache('webllm/wasm', storage).fetchWithCache(record.model_lib, 'arraybuffer', signal);
  const model = new ArtifactCache('webllm/model', storage);
  if (config.tokenizer_files.includes('tokenizer.json')) await model.fetchWithCache(new URL('tokenizer.json', modelUrl).href, 'arraybuffer');
  const list = (await model.fetchWithCache(new URL('tensor-cache.json', modelUrl).href, 'json', signal)) as TensorCache;
  const shards = list.records.map((shard) => ({ url: new URL(shard.dataPath, modelUrl).href, nbytes: shard.nbytes }));
  const totalBytes = shards.reduce((sum, shard) => sum + shard.nbytes, 0);
  const cacheOnly = await model.hasAllKeys(shards.map((shard) => shard.url));
  let bytes = 0;
  let done = 0;
  const text = (loading: boolean) =>
    loading
      ? `Loading model from cache[${done}/${shards.length}]: ${Math.ceil(bytes / (1024 * 1024))}MB loaded. ${Math.floor((bytes * 100) / totalBytes)}% completed, 0 secs elapsed.`
      : `Fetching param cache[${done}/${shards.length}]: ${Math.ceil(bytes / (1024 * 1024))}MB fetched. ${Math.floor((bytes * 100) / totalBytes)}% completed, 0 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`;
  report({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' });
  const download = async (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      await model.addToCache(shards[i].url, signal);
      bytes += shards[i].nbytes;
      done++;
      report({ progress: bytes / totalBytes, timeElapsed: 0, text: text(false) });
    }
  };
  if (!cacheOnly) {
    const size = Math.floor(shards.length / 4);
    await Promise.all([download(0, size), download(size, 2 * size), download(2 * size, 3 * size), download(3 * size, shards.length)]);
  }
  bytes = 0;
  done = 0;
  for (const shard of shards) {
    await model.fetchWithCache(shard.url, 'arraybuffer', signal);
    bytes += shard.nbytes;
    done++;
    report({ progress: bytes / totalBytes, timeElapsed: 0, text: text(true) });
  }
}

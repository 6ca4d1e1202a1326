/**
 * Where the engine remembers which cached model files it has hashed, and the model hosts'
 * integrity manifests, so a load from the cache alone can hold files to their pins without
 * hashing them again and without asking the host. A Cache Storage cache of its own: the
 * runtimes' caches stay as they write them, and `ModelCache.list()` counts model files only.
 */
export const VERIFIED_CACHE = 'slm-verified-files';

/**
 * The header every cached model file is written with: a random value, new on each write. A
 * mark names it, so a file written again by anyone (the library, DevTools, another version of
 * the app) no longer matches its mark and is hashed on its next load.
 */
export const ENTRY_HEADER = 'x-slm-entry';

/** One file's mark: the entry it was hashed in, and the pin it matched. */
interface Mark {
  entry: string;
  integrity: string;
}

/** A fresh entry value (`crypto.randomUUID` needs a secure context; this does not). */
export function newEntry(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class VerifiedMarks {
  constructor(private readonly storage: CacheStorage | undefined = globalThis.caches) {}

  /** Whether this cached response is the very entry that was hashed against `integrity`. */
  async trusts(url: string, response: Response, integrity: string): Promise<boolean> {
    const entry = response.headers.get(ENTRY_HEADER);
    if (!entry) return false;
    const mark = await this.readJson<Mark>(url);
    return mark?.entry === entry && mark.integrity === integrity;
  }

  /** Remembers that the entry `entry` of `url` was hashed and matched `integrity`. */
  async record(url: string, entry: string, integrity: string): Promise<void> {
    await this.write(url, JSON.stringify({ entry, integrity } satisfies Mark));
  }

  async forget(url: string): Promise<void> {
    if (this.storage) await (await this.storage.open(VERIFIED_CACHE)).delete(url);
  }

  /** Forgets the marks and manifest of every URL `belongs` accepts. */
  async forgetWhere(belongs: (url: string) => boolean): Promise<void> {
    if (!this.storage || !(await this.storage.has(VERIFIED_CACHE))) return;
    const cache = await this.storage.open(VERIFIED_CACHE);
    for (const request of await cache.keys()) if (belongs(request.url)) await cache.delete(request);
  }

  /** The text of a manifest kept from an earlier download, or null. */
  async manifest(url: string): Promise<string | null> {
    return this.readText(url);
  }

  async keepManifest(url: string, text: string): Promise<void> {
    await this.write(url, text);
  }

  private async write(url: string, text: string): Promise<void> {
    if (!this.storage) return;
    await (await this.storage.open(VERIFIED_CACHE)).put(url, new Response(text, { headers: { 'content-type': 'application/json' } }));
  }

  private async readText(url: string): Promise<string | null> {
    if (!this.storage || !(await this.storage.has(VERIFIED_CACHE))) return null;
    const response = await (await this.storage.open(VERIFIED_CACHE)).match(url);
    return response ? response.text() : null;
  }

  private async readJson<T>(url: string): Promise<T | null> {
    const text = await this.readText(url);
    try {
      return text === null ? null : (JSON.parse(text) as T);
    } catch {
      return null;
    }
  }
}

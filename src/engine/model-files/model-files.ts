import type { ModelHostConfig } from '../types.js';
import { INTEGRITY_MANIFEST, expectationOf, parseManifest, splitModelUrl, type FileExpectation, type IntegrityPins } from './integrity.js';
import { createModelFetch } from './model-fetch.js';
import { VerifiedCache } from './verified-cache.js';

/** The Cache Storage name Transformers.js keeps model files under (its `env.cacheKey`). */
export const TRANSFORMERS_CACHE = 'transformers-cache';

/**
 * How one load gets its files: a fetch that retries, resumes and checks pins, and (when files
 * are kept for offline use) a cache that checks what it hands out. A file's pin comes from the
 * engine's `integrity` option, then the model preset's, then the host's `slm-integrity.json`
 * when `integrityManifest` is on. The manifest is asked for once per model, from the model host
 * only; a host without one (the Hugging Face hub has none) simply pins nothing.
 */
export class ModelFiles {
  readonly fetch: typeof fetch;
  readonly cache: VerifiedCache | null;
  private readonly manifests = new Map<string, Promise<IntegrityPins | null>>();

  constructor(
    private readonly host: ModelHostConfig,
    private readonly presetPins: IntegrityPins | undefined = undefined,
    baseFetch: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {
    this.fetch = createModelFetch({ fetch: baseFetch, retry: host.retry, expect: (url) => this.expect(url) });
    // A load from the cache alone asks the host for nothing (it may be offline): cached files
    // are held to the manifest only once a download of this load has fetched it.
    this.cache = host.useBrowserCache && typeof caches !== 'undefined' ? new VerifiedCache(TRANSFORMERS_CACHE, (url) => this.expect(url, false)) : null;
  }

  /** What a file URL must be, or null where nothing is pinned; `askHost` false uses only a manifest already fetched. */
  async expect(url: string, askHost = true): Promise<FileExpectation | null> {
    const where = splitModelUrl(url);
    if (!where || where.file === INTEGRITY_MANIFEST) return null;
    const pin = this.host.integrity?.[where.modelId]?.[where.file] ?? this.presetPins?.[where.file];
    if (pin !== undefined) return expectationOf(pin, where.file);
    if (!this.host.integrityManifest || !url.startsWith(new URL(this.host.host, globalThis.location?.href).href)) return null;
    const manifest = await this.manifest(where.base, askHost);
    return expectationOf(manifest?.[where.file], where.file);
  }

  private manifest(base: string, askHost: boolean): Promise<IntegrityPins | null> {
    let pending = this.manifests.get(base);
    if (!pending && !askHost) return Promise.resolve(null);
    if (!pending) {
      // Absent (404), unreachable (offline, with the model cached) or unreadable: nothing is pinned.
      pending = this.fetch(`${base}${INTEGRITY_MANIFEST}`).then(
        async (response) => (response.ok ? parseManifest(await response.text()) : null),
        () => null,
      );
      this.manifests.set(base, pending);
    }
    return pending;
  }
}

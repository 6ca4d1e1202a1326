import type { ModelHostConfig } from '../types.js';
import { INTEGRITY_MANIFEST, expectationOf, parseManifest, splitModelUrl, type FileExpectation, type IntegrityPins } from './integrity.js';
import { createModelFetch, type DownloadRetry } from './model-fetch.js';
import { VerifiedCache } from './verified-cache.js';
import { VerifiedMarks } from './verified-marks.js';

/** The Cache Storage name Transformers.js keeps model files under (its `env.cacheKey`). */
export const TRANSFORMERS_CACHE = 'transformers-cache';

/**
 * How one load gets its files: a fetch that retries, resumes and checks pins, and (when files
 * are kept for offline use) a cache that checks what it hands out. A file's pin comes from the
 * engine's `integrity` option, then the model preset's, then the host's `slm-integrity.json`
 * when `integrityManifest` is on. The manifest is asked for once per model, from the model host
 * only; a host without one (the Hugging Face hub has none) simply pins nothing. A manifest the
 * host served is kept (with the files, in Cache Storage), so a load from the cache alone, which
 * asks the host for nothing, still holds the cached files to it.
 */
export class ModelFiles {
  readonly fetch: typeof fetch;
  readonly cache: VerifiedCache | null;
  /** Told of each failed request about to be tried again (the load shows it is waiting for the host). */
  onRetry: ((retry: DownloadRetry) => void) | null = null;
  /** Downloads whose bytes matched their pinned hash: URL → the pin. */
  private readonly verified = new Map<string, string>();
  private readonly manifests = new Map<string, { fromHost: boolean; pins: Promise<IntegrityPins | null> }>();

  constructor(
    private readonly host: ModelHostConfig,
    private readonly presetPins: IntegrityPins | undefined = undefined,
    baseFetch: typeof fetch = globalThis.fetch.bind(globalThis),
    private readonly marks = new VerifiedMarks(),
  ) {
    this.fetch = createModelFetch({
      fetch: baseFetch,
      retry: host.retry,
      expect: (url) => this.expect(url),
      onVerified: (url, integrity) => this.verified.set(url, integrity),
      onRetry: (retry) => this.onRetry?.(retry),
    });
    this.cache =
      host.useBrowserCache && typeof caches !== 'undefined'
        ? new VerifiedCache(TRANSFORMERS_CACHE, (url) => this.expect(url, false), (url) => this.verified.get(url), marks)
        : null;
  }

  /** The pin a download of this URL was hashed against and matched, if it was. */
  verifiedPin(url: string): string | undefined {
    return this.verified.get(url);
  }

  /**
   * What a file URL must be, or null where nothing is pinned. `askHost` false never asks the
   * host: it uses a manifest already fetched, or the one kept from an earlier download.
   */
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
    const url = `${base}${INTEGRITY_MANIFEST}`;
    const known = this.manifests.get(base);
    if (known && (known.fromHost || !askHost)) return known.pins;
    const pins = askHost ? this.manifestFromHost(url) : this.marks.manifest(url).then((text) => (text === null ? null : parseManifest(text)), () => null);
    this.manifests.set(base, { fromHost: askHost, pins });
    return pins;
  }

  /**
   * The host's manifest, kept for loads from the cache. Absent (404) or unreadable: nothing is
   * pinned, and a kept copy is dropped (the host no longer pins these files). Unreachable
   * (offline, with the model cached): the kept copy, if any.
   */
  private async manifestFromHost(url: string): Promise<IntegrityPins | null> {
    let response: Response;
    try {
      response = await this.fetch(url);
    } catch {
      const kept = await this.marks.manifest(url).catch(() => null);
      return kept === null ? null : parseManifest(kept);
    }
    const text = response.ok ? await response.text().catch(() => null) : null;
    const pins = text === null ? null : parseManifest(text);
    if (this.host.useBrowserCache) await (pins ? this.marks.keepManifest(url, text!) : this.marks.forget(url)).catch(() => undefined);
    return pins;
  }
}

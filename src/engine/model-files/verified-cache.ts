import { checkCachedFile } from './file-check.js';
import type { FileExpectation } from './integrity.js';

/** A cache key as Cache Storage resolves it (relative keys resolve against the worker's URL). */
const absolute = (request: string) => new URL(request, globalThis.location?.href).href;

/**
 * Cache Storage as Transformers.js uses it (its `env.customCache`: `match`, `put`, `delete`),
 * except that a file is checked before it is handed out: one whose length is not what it was
 * stored with, or whose bytes do not match its pin, is deleted and reported missing, so the
 * library fetches it again. Each file is checked once per load.
 */
export class VerifiedCache {
  /** Files this load read from the cache. */
  readonly served = new Set<string>();
  /** Files this load stored. */
  readonly stored = new Set<string>();
  /** Files found damaged and deleted, and why. */
  readonly discarded: Array<{ url: string; reason: string }> = [];
  private readonly checked = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly expect: (url: string) => Promise<FileExpectation | null>,
  ) {}

  async match(request: string): Promise<Response | undefined> {
    const url = absolute(request);
    const cache = await caches.open(this.name);
    const response = await cache.match(url);
    if (!response) return undefined;
    if (this.checked.has(url)) {
      this.served.add(url);
      return response;
    }
    const check = await checkCachedFile(response, await this.expect(url));
    if (!check.ok) {
      await cache.delete(url);
      this.discarded.push({ url, reason: check.reason });
      return undefined;
    }
    this.checked.add(url);
    this.served.add(url);
    return check.response;
  }

  async put(request: string, response: Response): Promise<void> {
    const url = absolute(request);
    await (await caches.open(this.name)).put(url, response);
    this.checked.add(url);
    this.stored.add(url);
  }

  async delete(request: string): Promise<boolean> {
    const url = absolute(request);
    this.checked.delete(url);
    return (await caches.open(this.name)).delete(url);
  }

  /**
   * Deletes every file this load read or stored: after the runtime could not parse one of them
   * there is no telling which, and none of them should outlive the failure.
   */
  async discardLoaded(reason: string): Promise<void> {
    const urls = [...this.served, ...this.stored];
    this.served.clear();
    this.stored.clear();
    for (const url of urls) {
      await this.delete(url);
      this.discarded.push({ url, reason });
    }
  }
}

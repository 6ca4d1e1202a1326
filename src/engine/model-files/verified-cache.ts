import { checkCachedFile } from './file-check.js';
import type { FileExpectation } from './integrity.js';
import { ENTRY_HEADER, newEntry, VerifiedMarks } from './verified-marks.js';

/** A cache key as Cache Storage resolves it (relative keys resolve against the worker's URL). */
const absolute = (request: string) => new URL(request, globalThis.location?.href).href;

/**
 * Cache Storage as Transformers.js uses it (its `env.customCache`: `match`, `put`, `delete`),
 * except that a file is checked before it is handed out: one whose length is not what it was
 * stored with, or whose bytes do not match its pin, is deleted and reported missing, so the
 * library fetches it again. Each file is checked once per load.
 *
 * A pinned file is hashed once per write, not once per load: a download hashed on its way in
 * (or a cached file hashed here) is marked (`VerifiedMarks`) with the entry it was written as,
 * and a later load trusts the mark while the entry is that same one. A file written again since
 * (by anything) has another entry, so it is hashed again before it is used.
 */
export class VerifiedCache {
  /** Files this load read from the cache. */
  readonly served = new Set<string>();
  /** Files this load stored. */
  readonly stored = new Set<string>();
  /** Files found damaged and deleted, and why. */
  readonly discarded: Array<{ url: string; reason: string }> = [];
  /** Files this load hashed from the cache (none when every pinned file kept its mark). */
  readonly hashed = new Set<string>();
  private readonly checked = new Set<string>();
  /** Writes under way (`putBehind`): a read or delete of the same file waits for its write. */
  private readonly writing = new Map<string, Promise<void>>();

  /**
   * @param verified the pin a download of this URL was hashed against and matched, if any.
   * @param storage the Cache Storage underneath (WebLLM's worker passes the real one, having
   *   put a checking one in its place).
   */
  constructor(
    private readonly name: string,
    private readonly expect: (url: string) => Promise<FileExpectation | null>,
    private readonly verified: (url: string) => string | undefined = () => undefined,
    private readonly marks = new VerifiedMarks(),
    private readonly storage: CacheStorage = globalThis.caches,
  ) {}

  async match(request: string): Promise<Response | undefined> {
    const url = absolute(request);
    await this.writing.get(url);
    const cache = await this.storage.open(this.name);
    const response = await cache.match(url);
    if (!response) return undefined;
    if (this.checked.has(url)) {
      this.served.add(url);
      return response;
    }
    const expectation = await this.expect(url);
    const pin = expectation?.integrity;
    const trusted = pin ? await this.marks.trusts(url, response, pin) : false;
    if (pin && !trusted) this.hashed.add(url);
    const check = await checkCachedFile(response, expectation, { hash: !trusted });
    if (!check.ok) {
      await cache.delete(url);
      await this.marks.forget(url);
      this.discarded.push({ url, reason: check.reason });
      return undefined;
    }
    if (pin && !trusted) await this.markHashed(cache, url, response, check.blob, pin);
    this.checked.add(url);
    this.served.add(url);
    return check.response;
  }

  async put(request: string, response: Response): Promise<void> {
    const url = absolute(request);
    const entry = newEntry();
    const headers = new Headers(response.headers);
    headers.set(ENTRY_HEADER, entry);
    await this.marks.forget(url);
    // When the put is done, so is the body: a pinned download has been hashed by then, or the
    // put failed with its refusal.
    await (await this.storage.open(this.name)).put(url, new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
    const pin = (await this.expect(url))?.integrity;
    if (pin && this.verified(url) === pin) await this.marks.record(url, entry, pin);
    this.checked.add(url);
    this.stored.add(url);
  }

  /**
   * `put` without waiting for the write. Transformers.js stores each download before it hands the
   * bytes to the runtime, so writing a 54 MB decoder (a third of a second on a fast machine) held
   * back its session build; this way the two run side by side. A failed write is a warning, as the
   * library's own are (the file is downloaded again next time). `settled` waits for every write.
   */
  putBehind(request: string, response: Response): Promise<void> {
    const url = absolute(request);
    const write: Promise<void> = this.put(request, response)
      .catch((error: unknown) => console.warn(`A model file could not be kept for offline use (${url}): ${String(error)}`))
      .finally(() => {
        if (this.writing.get(url) === write) this.writing.delete(url);
      });
    this.writing.set(url, write);
    return Promise.resolve();
  }

  /** Every write started by `putBehind` is done (or has failed). */
  async settled(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  async delete(request: string): Promise<boolean> {
    const url = absolute(request);
    await this.writing.get(url);
    this.checked.delete(url);
    await this.marks.forget(url);
    return (await this.storage.open(this.name)).delete(url);
  }

  /**
   * Deletes every file this load read or stored: after the runtime could not parse one of them
   * there is no telling which, and none of them should outlive the failure.
   */
  async discardLoaded(reason: string): Promise<void> {
    await this.settled();
    const urls = [...this.served, ...this.stored];
    this.served.clear();
    this.stored.clear();
    for (const url of urls) {
      await this.delete(url);
      this.discarded.push({ url, reason });
    }
  }

  /**
   * Marks a cached file just hashed. One written without an entry value (by the library before
   * this engine cached files, or by hand) is written again with one, once.
   */
  private async markHashed(cache: Cache, url: string, response: Response, blob: Blob, pin: string): Promise<void> {
    let entry = response.headers.get(ENTRY_HEADER);
    if (!entry) {
      entry = newEntry();
      const headers = new Headers(response.headers);
      headers.set(ENTRY_HEADER, entry);
      await cache.put(url, new Response(blob, { status: response.status, statusText: response.statusText, headers }));
    }
    await this.marks.record(url, entry, pin);
  }
}

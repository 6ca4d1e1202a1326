import { SlmError } from '../errors/slm-error.js';
import { checkCachedFile } from './model-files/file-check.js';
import { splitModelUrl } from './model-files/integrity.js';
import { ModelFiles } from './model-files/model-files.js';
import type { PresetPins } from './model-files/preset-pins.js';
import { ENTRY_HEADER, newEntry, VERIFIED_CACHE, VerifiedMarks } from './model-files/verified-marks.js';
import type { ModelHostConfig } from './types.js';
import { WEBLLM_SW_MEMORY } from './workers/webllm-sw-memory.js';

export type { PresetPins };

/** Cache Storage names the runtimes write model files into. */
export const MODEL_CACHE_NAMES = ['transformers-cache', 'webllm/model', 'webllm/wasm', 'webllm/config'] as const;

/**
 * Cache Storage names the library keeps about model files: which files were hashed, and what
 * WebLLM's service worker was told (the model host, its pins, the model records).
 */
export const MODEL_STATE_CACHE_NAMES = [VERIFIED_CACHE, WEBLLM_SW_MEMORY] as const;

/**
 * Where WebLLM keeps its files under its other `cacheBackend`s (`indexeddb`: a database per
 * scope; `opfs`: tvmjs's folder), so that `clear()` stays true if a backend is ever given one.
 */
const WEBLLM_DATABASES = ['webllm/model', 'webllm/wasm', 'webllm/config'];
const WEBLLM_OPFS_FOLDER = 'tvmjs-opfs-store';

export interface CachedModel {
  /** `org/name`, as in the model's URL. */
  modelId: string;
  files: number;
  bytes: number;
}

/** One cached file after a check: sound, fetched again, deleted (to be fetched on the next load), or deleted and not fetched. */
export interface FileCheckResult {
  /** The file's path in the repo (`onnx/model.onnx`), or its URL where it has no such path. */
  file: string;
  url: string;
  status: 'ok' | 'damaged' | 'repaired' | 'deleted' | 'failed';
  /** What was wrong, and for `failed` why it could not be fetched again. */
  reason?: string;
}

/** What `verify()` or `repair()` found of one model's cached files. */
export interface ModelCheckReport {
  modelId: string;
  files: FileCheckResult[];
  /** Files that were damaged (each then `damaged`, `repaired`, `deleted` or `failed`). */
  damaged: number;
}

const modelIdOf = (url: string) => /\/([^/]+\/[^/]+)\/resolve\//.exec(new URL(url).pathname)?.[1] ?? null;

/**
 * The models this browser keeps for offline use, and a way to free their space. Both
 * runtimes cache through Cache Storage under URLs of the Hugging Face layout, so one
 * listing covers them.
 */
export class ModelCache {
  /**
   * @param storage where the runtimes cache (default the page's Cache Storage).
   * @param host where files are fetched again from, with their pins and retry policy (the
   *   engine passes its own); without it, `repair()` deletes damaged files and fetches nothing.
   * @param presetPins the pins of the configured models' presets, which a load holds their
   *   files to as well (the engine passes those of its models).
   */
  constructor(
    private readonly storage: CacheStorage | undefined = globalThis.caches,
    private readonly host: () => ModelHostConfig | null = () => null,
    private readonly presetPins: () => Promise<readonly PresetPins[]> = async () => [],
  ) {
    this.marks = new VerifiedMarks(storage);
  }

  /** Which cached files were hashed already (see `VerifiedCache`); kept in step with deletions. */
  private readonly marks: VerifiedMarks;

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
    await this.marks.forgetWhere((url) => modelIdOf(url) === modelId);
    return removed;
  }

  /**
   * Checks every cached file of one model, deleting nothing: its length against the length it
   * was stored with, and its SHA-256 where it is pinned (the engine's `integrity` option, the
   * model preset's `integrity`, or the model host's `slm-integrity.json`, which this asks the
   * model host for). Every pinned file is
   * hashed, whatever a load remembered of it; a damaged one loses that memory, so the next load
   * hashes it too (and fetches it again).
   */
  verify(modelId: string): Promise<ModelCheckReport> {
    return this.check(modelId, false);
  }

  /**
   * `verify()`, then each damaged file is deleted and fetched again from the configured model
   * host (with retries, and refused if it does not match its pin). A file from any other host,
   * or one that cannot be fetched now, stays deleted: the runtime fetches it on the next load.
   */
  repair(modelId: string): Promise<ModelCheckReport> {
    return this.check(modelId, true);
  }

  private async check(modelId: string, repair: boolean): Promise<ModelCheckReport> {
    const host = this.host();
    // Pinned as a load pins them: the engine's pins, then the preset's, then the host's manifest.
    const preset = (await this.presetPins().catch(() => [])).find((p) => p.repos.includes(modelId));
    const files = host ? new ModelFiles({ ...host, useBrowserCache: false }, preset?.pins) : null;
    const hostBase = host ? new URL(host.host.replace(/\/*$/, '/'), globalThis.location?.href).href : null;
    const report: ModelCheckReport = { modelId, files: [], damaged: 0 };
    for (const name of await this.cacheNames()) {
      const cache = await this.storage!.open(name);
      for (const request of await cache.keys()) {
        if (modelIdOf(request.url) !== modelId) continue;
        const url = request.url;
        const file = splitModelUrl(url)?.file ?? url;
        const response = await cache.match(request);
        const expectation = files ? await files.expect(url).catch(() => null) : null;
        const check = response ? await checkCachedFile(response, expectation) : ({ ok: false, reason: 'it is gone', bytes: 0 } as const);
        if (check.ok) {
          report.files.push({ file, url, status: 'ok' });
          continue;
        }
        report.damaged++;
        await this.marks.forget(url);
        if (!repair) {
          report.files.push({ file, url, status: 'damaged', reason: check.reason });
          continue;
        }
        await cache.delete(request);
        if (!files || !hostBase || !url.startsWith(hostBase)) {
          report.files.push({ file, url, status: 'deleted', reason: check.reason });
          continue;
        }
        try {
          const fresh = await files.fetch(url);
          if (!fresh.ok) throw new SlmError('model-file-missing', `the model host answered ${fresh.status}`);
          const blob = await fresh.blob();
          const headers = new Headers(fresh.headers);
          const entry = newEntry();
          headers.set('content-length', String(blob.size));
          headers.set(ENTRY_HEADER, entry);
          await cache.put(url, new Response(blob, { status: 200, headers }));
          const pin = files.verifiedPin(url);
          if (pin) await this.marks.record(url, entry, pin);
          report.files.push({ file, url, status: 'repaired', reason: check.reason });
        } catch (error) {
          report.files.push({ file, url, status: 'failed', reason: `${check.reason}; fetching it again failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    }
    return report;
  }

  /**
   * Deletes every model file of both runtimes and all the library remembered about them (the
   * verified marks, WebLLM's service worker's memory), wherever WebLLM keeps its files. The
   * visits are not touched: they have their own erase (`<slm-visits>`' Erase all).
   */
  async clear(): Promise<void> {
    if (this.storage) for (const name of [...MODEL_CACHE_NAMES, ...MODEL_STATE_CACHE_NAMES]) await this.storage.delete(name);
    await deleteDatabases(WEBLLM_DATABASES);
    await deleteOpfsEntry(WEBLLM_OPFS_FOLDER);
  }

  private async cacheNames(): Promise<string[]> {
    if (!this.storage) return [];
    const existing = await this.storage.keys();
    return MODEL_CACHE_NAMES.filter((name) => existing.includes(name));
  }
}

/** Deletes those of `names` that exist; one still open elsewhere goes once that connection closes. */
async function deleteDatabases(names: readonly string[]): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const existing = new Set((await indexedDB.databases().catch(() => [])).map((db) => db.name));
  for (const name of names.filter((n) => existing.has(n))) {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onblocked = () => resolve();
      request.onerror = () => reject(new SlmError('storage-failed', `Could not delete WebLLM's ${name} database: ${request.error?.message ?? 'unknown error'}. Close other tabs of this app and try again.`));
    });
  }
}

async function deleteOpfsEntry(name: string): Promise<void> {
  const root = await globalThis.navigator?.storage?.getDirectory?.().catch(() => undefined);
  await root?.removeEntry(name, { recursive: true }).catch((error: unknown) => {
    if ((error as DOMException).name !== 'NotFoundError') throw new SlmError('storage-failed', `Could not delete WebLLM's files (${name}): ${(error as Error).message}. Close other tabs of this app and try again.`);
  });
}

async function sizeOf(response: Response | undefined): Promise<number> {
  if (!response) return 0;
  const header = Number(response.headers.get('content-length'));
  return Number.isFinite(header) && header > 0 ? header : (await response.blob()).size;
}

/**
 * The language model's memory of recent prompts (its key/value cache), kept so that a prompt
 * which begins like an earlier one (the same system prompt and visit context, a chat one turn
 * longer) makes the model read only its new tokens.
 *
 * Works on the cache objects Transformers.js's `generate()` takes and returns
 * (`past_key_values`): a record of tensors named `past_key_values.{layer}.{key|value}`, each
 * [batch, heads, tokens, head size]. Only those can be cut back to a shorter prefix; a model
 * with other state (recurrent layers) is reused only when the whole cached prompt is a prefix.
 */
import type { DynamicCache, Tensor } from '@huggingface/transformers';

type Library = Pick<typeof import('@huggingface/transformers'), 'DynamicCache' | 'Tensor'>;

export interface PrefixEntry {
  /**
   * Whose prompt this is (a visit id): a cache is only ever reused or exported under its own
   * key, so one visit's words never travel with another's.
   */
  key: string;
  /** The tokens the cache holds, in order. */
  ids: number[];
  cache: DynamicCache;
}

export interface PrefixMatch {
  /** A cache holding exactly the first `reused` tokens of the prompt, or null to read it all. */
  cache: DynamicCache | null;
  reused: number;
}

/**
 * A prefix shorter than this is not worth a cache: reading a handful of tokens again costs less
 * than keeping their cache alive.
 */
export const MIN_REUSED_TOKENS = 8;

/** The number of leading tokens two prompts share. */
export function sharedPrefixLength(a: readonly number[], b: readonly number[]): number {
  const end = Math.min(a.length, b.length);
  let i = 0;
  while (i < end && a[i] === b[i]) i++;
  return i;
}

/**
 * A few recent caches, reused by longest shared prefix. More than one, because the note's
 * updates and the chat take turns on the same model and would otherwise evict each other.
 */
export class PrefixCache {
  private entries: PrefixEntry[] = [];

  constructor(
    private readonly library: Library,
    private readonly capacity = 2,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  /** The most recently stored entry under `key`, for saving with the visit. */
  latest(key: string): PrefixEntry | undefined {
    return this.entries.findLast((entry) => entry.key === key);
  }

  /**
   * Takes the cache that shares the longest prefix with `ids` out of the store, cut back to that
   * prefix. The caller owns it and gives it back with `put()` after generating. At least the last
   * prompt token is always left to read: the model needs one input to produce the next token.
   */
  async take(key: string, ids: readonly number[]): Promise<PrefixMatch> {
    let best = -1;
    let bestLength = 0;
    this.entries.forEach((entry, index) => {
      if (entry.key !== key) return;
      const length = Math.min(sharedPrefixLength(entry.ids, ids), ids.length - 1);
      if (length > bestLength) [best, bestLength] = [index, length];
    });
    if (best < 0 || bestLength < MIN_REUSED_TOKENS) return { cache: null, reused: 0 };
    const [entry] = this.entries.splice(best, 1);
    const cache = await this.trim(entry!, bestLength);
    return cache ? { cache, reused: bestLength } : { cache: null, reused: 0 };
  }

  /** Stores a cache, evicting the least recently used beyond the capacity. */
  put(entry: PrefixEntry): void {
    this.entries.push(entry);
    while (this.entries.length > this.capacity) void this.entries.shift()!.cache.dispose();
  }

  clear(): void {
    for (const entry of this.entries.splice(0)) void entry.cache.dispose();
  }

  /** The entry's cache holding only its first `length` tokens, or null where it cannot be cut. */
  private async trim(entry: PrefixEntry, length: number): Promise<DynamicCache | null> {
    if (length === entry.ids.length) return entry.cache;
    const names = Object.keys(entry.cache);
    if (!names.every((name) => /^past_key_values\.\d+\.(key|value)$/.test(name))) {
      await entry.cache.dispose();
      return null;
    }
    const trimmed: Record<string, Tensor> = {};
    for (const name of names) {
      const tensor = (entry.cache as unknown as Record<string, Tensor>)[name]!;
      trimmed[name] = (await onCpu(this.library, tensor)).slice(null, null, [0, length], null);
    }
    await entry.cache.dispose();
    return new this.library.DynamicCache(trimmed);
  }
}

/**
 * A tensor's values in main memory. On WebGPU the cache lives in GPU buffers, which cannot be
 * sliced in place; onnxruntime uploads the cut copy again on the next run.
 */
export async function onCpu(library: Library, tensor: Tensor): Promise<Tensor> {
  if (tensor.location !== 'gpu-buffer') return tensor;
  const ort = (tensor as unknown as { ort_tensor: { getData(release?: boolean): Promise<ArrayLike<number>> } }).ort_tensor;
  const data = await ort.getData(false);
  return new library.Tensor(tensor.type, data as Float32Array, tensor.dims);
}

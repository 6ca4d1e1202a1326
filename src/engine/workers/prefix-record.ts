/**
 * A prefix cache as bytes, to keep with the visit across a reload, and the checks that decide
 * whether stored bytes may be given to the model again. A record that fails any check is
 * refused with a reason and never reaches the model: a cache from another model, revision,
 * weight format or prompt would make it continue a conversation it never read.
 */
import type { DynamicCache, Tensor } from '@huggingface/transformers';
import { onCpu, type PrefixEntry } from './prefix-cache.js';

type Library = Pick<typeof import('@huggingface/transformers'), 'DynamicCache' | 'Tensor'>;

export const PREFIX_RECORD_FORMAT = 1;

/**
 * How a float32 cache is stored. `fp16` halves the size; `fp32` keeps every bit. A float16
 * cache (the GPU's q4f16 models) is always stored as it is.
 */
export type PrefixPrecision = 'fp16' | 'fp32';

/** Which model a cache belongs to: all of it must match before the cache is used. */
export interface PrefixOwner {
  modelId: string;
  revision: string;
  dtype: string;
}

export interface PrefixRecordHeader extends PrefixOwner {
  format: number;
  /** SHA-256 of the token ids as little-endian 32-bit integers, in hex. */
  idsHash: string;
  tokens: number;
  tensors: Array<{ name: string; dims: number[]; type: 'float32' | 'float16'; stored: 'fp16' | 'fp32' }>;
}

export interface PrefixRecord {
  header: PrefixRecordHeader;
  ids: Int32Array;
  data: ArrayBuffer;
}

export type PrefixRestore = { ok: true; entry: PrefixEntry } | { ok: false; reason: string };

export async function encodePrefix(library: Library, entry: PrefixEntry, owner: PrefixOwner, precision: PrefixPrecision = 'fp16'): Promise<PrefixRecord> {
  const tensors: PrefixRecordHeader['tensors'] = [];
  const parts: Uint8Array[] = [];
  for (const [name, tensor] of Object.entries(entry.cache as unknown as Record<string, Tensor>)) {
    const cpu = await onCpu(library, tensor);
    const dims = [...cpu.dims];
    if (cpu.type === 'float16') {
      tensors.push({ name, dims, type: 'float16', stored: 'fp16' });
      parts.push(bytesOf(cpu.data as ArrayBufferView));
    } else if (cpu.type === 'float32') {
      const values = cpu.data as Float32Array;
      const stored = precision === 'fp16' ? float32ToFloat16(values) : values;
      tensors.push({ name, dims, type: 'float32', stored: precision });
      parts.push(bytesOf(stored));
    } else {
      throw new Error(`A ${cpu.type} cache tensor (${name}) cannot be stored.`);
    }
  }
  const ids = Int32Array.from(entry.ids);
  return {
    header: { format: PREFIX_RECORD_FORMAT, ...owner, idsHash: await hashIds(ids), tokens: ids.length, tensors },
    ids,
    data: concat(parts),
  };
}

export async function decodePrefix(library: Library, record: PrefixRecord, owner: PrefixOwner, key: string): Promise<PrefixRestore> {
  const { header } = record;
  if (header?.format !== PREFIX_RECORD_FORMAT) return { ok: false, reason: `stored in format ${String(header?.format)}, this version reads format ${PREFIX_RECORD_FORMAT}` };
  for (const key of ['modelId', 'revision', 'dtype'] as const) {
    if (header[key] !== owner[key]) return { ok: false, reason: `made by ${key} "${header[key]}", the model now is "${owner[key]}"` };
  }
  if (!(record.ids instanceof Int32Array) || record.ids.length !== header.tokens) return { ok: false, reason: 'its token list is damaged' };
  if ((await hashIds(record.ids)) !== header.idsHash) return { ok: false, reason: 'its token list does not match its hash' };
  const expected = header.tensors.reduce((sum, t) => sum + count(t.dims) * (t.stored === 'fp16' ? 2 : 4), 0);
  if (!(record.data instanceof ArrayBuffer) || record.data.byteLength !== expected) return { ok: false, reason: `it holds ${record.data?.byteLength ?? 0} bytes where ${expected} were expected` };
  const tensors: Record<string, Tensor> = {};
  let offset = 0;
  for (const t of header.tensors) {
    if (t.dims.length !== 4 || t.dims[2] !== header.tokens || !/^past_key_values\.\d+\.(key|value)$/.test(t.name)) {
      return { ok: false, reason: `tensor ${t.name} [${t.dims.join(', ')}] is not a cache of ${header.tokens} tokens` };
    }
    const n = count(t.dims);
    const width = t.stored === 'fp16' ? 2 : 4;
    const bytes = record.data.slice(offset, offset + n * width);
    offset += n * width;
    if (t.type === 'float16') tensors[t.name] = new library.Tensor('float16', new Uint16Array(bytes), t.dims);
    else {
      const values = t.stored === 'fp16' ? float16ToFloat32(new Uint16Array(bytes)) : new Float32Array(bytes);
      if (!values.every(Number.isFinite)) return { ok: false, reason: `tensor ${t.name} holds values that are not numbers` };
      tensors[t.name] = new library.Tensor('float32', values, t.dims);
    }
  }
  const cache: DynamicCache = new library.DynamicCache(tensors);
  return { ok: true, entry: { key, ids: Array.from(record.ids), cache } };
}

async function hashIds(ids: Int32Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytesOf(ids).slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 half precision, rounded to nearest even; out-of-range values become infinities. */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    scratch.setFloat32(0, values[i]!);
    const x = scratch.getUint32(0);
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mantissa |= 0x800000;
      const shift = 14 - e;
      let half = mantissa >>> shift;
      const rest = mantissa & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      if (rest > halfway || (rest === halfway && half & 1)) half++;
      out[i] = sign | half;
    } else {
      let half = (e << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
      out[i] = sign | half;
    }
  }
  return out;
}

export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

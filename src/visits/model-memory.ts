import type { MemoryRow } from './visit-schema.js';

/**
 * The language model's memory of a visit as the store keeps it: opaque to the store, which
 * only seals, budgets and erases it with the visit. The engine makes and checks it
 * (`SlmEngine.exportPrefix` / `importPrefix`).
 */
export interface ModelMemory {
  header: object;
  ids: Int32Array;
  data: ArrayBuffer;
}

/** What happened to a memory handed to the store; it is never worth an error. */
export interface ModelMemorySave {
  stored: boolean;
  /** Why not, in words. */
  reason?: string;
  /** Memories of other visits evicted to stay within the budget. */
  evicted: number;
}

/** The default budget for every visit's model memory together. */
export const MODEL_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Header length (4 bytes), header JSON, token ids, then the cache's bytes. */
export function packMemory(memory: ModelMemory): Uint8Array<ArrayBuffer> {
  const header = encoder.encode(JSON.stringify(memory.header));
  const ids = new Uint8Array(memory.ids.buffer, memory.ids.byteOffset, memory.ids.byteLength);
  const out = new Uint8Array(4 + header.byteLength + 4 + ids.byteLength + memory.data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, header.byteLength, true);
  out.set(header, 4);
  view.setUint32(4 + header.byteLength, memory.ids.length, true);
  out.set(ids, 8 + header.byteLength);
  out.set(new Uint8Array(memory.data), 8 + header.byteLength + ids.byteLength);
  return out;
}

/** Reads what `packMemory` wrote; throws on anything that does not add up. */
export function unpackMemory(bytes: ArrayBuffer): ModelMemory {
  const view = new DataView(bytes);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(decoder.decode(new Uint8Array(bytes, 4, headerLength))) as object;
  const count = view.getUint32(4 + headerLength, true);
  const idsStart = 8 + headerLength;
  const dataStart = idsStart + count * 4;
  if (dataStart > bytes.byteLength) throw new RangeError('The stored model memory is shorter than its token list.');
  return { header, ids: new Int32Array(bytes.slice(idsStart, dataStart)), data: bytes.slice(dataStart) };
}

/** The rows to evict (least recently used first) so that `incoming` more bytes fit the budget. */
export function overBudget(rows: Array<Pick<MemoryRow, 'visitId' | 'usedAt' | 'bytes'>>, incoming: number, budget: number): string[] {
  const sorted = [...rows].sort((a, b) => a.usedAt - b.usedAt);
  let total = sorted.reduce((sum, row) => sum + row.bytes, 0) + incoming;
  const evict: string[] = [];
  for (const row of sorted) {
    if (total <= budget) break;
    evict.push(row.visitId);
    total -= row.bytes;
  }
  return evict;
}

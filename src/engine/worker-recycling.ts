import { SlmError } from '../errors/slm-error.js';
import type { ModelRole } from './types.js';
import type { WorkerMemory } from './workers/memory-meter.js';

export type { WorkerMemory };

/**
 * When a speech model's worker is replaced by a fresh one between readings, each limit counted
 * from what the worker held right after its model loaded; 0 turns a limit off.
 */
export interface RecycleLimits {
  /** Bytes the worker's WebAssembly heap (onnxruntime's, which never shrinks) may grow. */
  wasmHeapGrowth: number;
  /** Bytes of live GPU buffers the worker may gain (Whisper on WebGPU leaks them: Transformers.js #1739). */
  gpuBufferGrowth: number;
  /** Readings after which the worker is replaced whatever it holds: a fallback where memory cannot be measured. */
  readings: number;
}

const MiB = 2 ** 20;

/**
 * 512 MiB of growth on either heap: several windows of a leaking Whisper-base on WebGPU, far
 * more than any steady model adds once its buffers are sized (a steady worker never reaches it,
 * so it costs nothing where nothing leaks). No reading count: a reload costs seconds.
 */
export const DEFAULT_RECYCLE_LIMITS: Readonly<RecycleLimits> = { wasmHeapGrowth: 512 * MiB, gpuBufferGrowth: 512 * MiB, readings: 0 };

/** Which limit a worker passed. */
export type RecycleReason = 'wasm-heap' | 'gpu-buffers' | 'readings';

/** `slm-debug` when a speech worker was replaced by a fresh one between readings. */
export interface WorkerRecycledDetail {
  kind: 'worker-recycled';
  role: ModelRole;
  reason: RecycleReason;
  message: string;
  /** Readings the replaced worker did. */
  readings: number;
  /** What the replaced worker held after its load, and at the end. */
  baseline: WorkerMemory | null;
  memory: WorkerMemory | null;
  /** What the fresh worker holds after its load. */
  fresh: WorkerMemory | null;
  /** Milliseconds from the decision to the fresh worker being ready (the next reading waited that long). */
  reloadMs: number;
}

/** A speech slot's worker as the recycling sees it. */
export interface WorkerMemoryReport {
  /** What the current worker held right after its model loaded. */
  baseline: WorkerMemory | null;
  /** What it held after its latest reading. */
  latest: WorkerMemory | null;
  /** Readings by the current worker. */
  readings: number;
  /** Workers replaced so far in this slot's life. */
  recycles: number;
}

const none: WorkerMemory = { wasmHeapBytes: null, gpuBufferBytes: null, gpuBuffers: null };

/** Counts a speech worker's readings and memory and says when it should be replaced. */
export class RecycleWatch {
  private report: WorkerMemoryReport = { baseline: null, latest: null, readings: 0, recycles: 0 };

  get current(): Readonly<WorkerMemoryReport> {
    return this.report;
  }

  /** A fresh worker (a load or a recycle), and what it holds now. */
  restart(baseline: WorkerMemory | null, recycled: boolean): void {
    const recycles = this.report.recycles + (recycled ? 1 : 0);
    this.report = { baseline, latest: baseline, readings: 0, recycles };
  }

  /** One reading done, and what the worker holds after it: why it should be replaced, or null. */
  afterReading(memory: WorkerMemory | null, limits: RecycleLimits): RecycleReason | null {
    const report = this.report;
    report.readings++;
    report.latest = memory;
    // A measure the load did not give (a heap made by the first reading) counts from its first value.
    const base = (report.baseline ??= { ...none });
    if (memory) {
      base.wasmHeapBytes ??= memory.wasmHeapBytes;
      base.gpuBufferBytes ??= memory.gpuBufferBytes;
      base.gpuBuffers ??= memory.gpuBuffers;
    }
    const grew = (now: number | null | undefined, then: number | null, limit: number) => limit > 0 && now != null && then != null && now - then > limit;
    if (grew(memory?.gpuBufferBytes, base.gpuBufferBytes, limits.gpuBufferGrowth)) return 'gpu-buffers';
    if (grew(memory?.wasmHeapBytes, base.wasmHeapBytes, limits.wasmHeapGrowth)) return 'wasm-heap';
    if (limits.readings > 0 && report.readings >= limits.readings) return 'readings';
    return null;
  }
}

/** Why, in words, for the `slm-debug` message. */
export function describeRecycle(reason: RecycleReason, report: WorkerMemoryReport, limits: RecycleLimits): string {
  const mib = (bytes: number | null | undefined) => `${((bytes ?? 0) / MiB).toFixed(1)} MiB`;
  const { baseline, latest, readings } = report;
  if (reason === 'gpu-buffers') {
    return `Its GPU buffers grew from ${mib(baseline?.gpuBufferBytes)} to ${mib(latest?.gpuBufferBytes)} over ${readings} readings (limit ${mib(limits.gpuBufferGrowth)}).`;
  }
  if (reason === 'wasm-heap') {
    return `Its WebAssembly heap grew from ${mib(baseline?.wasmHeapBytes)} to ${mib(latest?.wasmHeapBytes)} over ${readings} readings (limit ${mib(limits.wasmHeapGrowth)}).`;
  }
  return `It did ${readings} readings (limit ${limits.readings}).`;
}

/** The limits as given, if each is a number of bytes or readings (0 for off); a typed error naming the wrong one otherwise. */
export function checkRecycleLimits(limits: Partial<RecycleLimits>): Partial<RecycleLimits> {
  for (const [name, value] of Object.entries(limits)) {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && !Number.isNaN(value))) {
      throw new SlmError('invalid-argument', `recycleLimits.${name} must be a number of ${name === 'readings' ? 'readings' : 'bytes'}, 0 for no limit; got ${String(value)}.`);
    }
  }
  return limits;
}

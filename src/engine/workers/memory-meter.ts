/// <reference lib="webworker" />
/// <reference types="@webgpu/types" />
/**
 * What a model worker holds, measured from inside it: the WebAssembly heap of onnxruntime and
 * the bytes of the GPU buffers still alive. Import it before the runtime is: it wraps
 * `WebAssembly.Memory` and WebGPU's `createBuffer` / `destroy` of this worker's global scope,
 * so it sees every heap and buffer the runtime makes from then on.
 *
 * Why from inside: a leak of GPU buffers (Transformers.js issue #1739: Whisper on WebGPU keeps
 * each 30 s window's tensors) shows in no JS heap, and the WebAssembly heap only grows, so the
 * engine needs the worker's own count to know when a fresh worker would give memory back.
 */

/** One worker's memory: null where it cannot be measured (no WebGPU in this worker, no heap made yet). */
export interface WorkerMemory {
  /** Bytes of every WebAssembly heap made in this worker that is still alive (onnxruntime's; it never shrinks). */
  wasmHeapBytes: number | null;
  /** Bytes of GPU buffers made in this worker and neither destroyed nor collected. */
  gpuBufferBytes: number | null;
  /** How many such buffers. */
  gpuBuffers: number | null;
}

const heaps: Array<WeakRef<WebAssembly.Memory>> = [];
const bufferSizes = new WeakMap<GPUBuffer, number>();
let liveBytes = 0;
let liveBuffers = 0;
let gpuMetered = false;

const release = (size: number) => {
  liveBytes -= size;
  liveBuffers--;
};
// A buffer dropped without destroy() is freed when it is collected, so it stops counting then.
const collected = new FinalizationRegistry<number>(release);

function meterHeaps(): void {
  const Original = WebAssembly.Memory;
  WebAssembly.Memory = new Proxy(Original, {
    construct(target, args: [WebAssembly.MemoryDescriptor]) {
      const memory = Reflect.construct(target, args) as WebAssembly.Memory;
      heaps.push(new WeakRef(memory));
      return memory;
    },
  });
}

function meterGpuBuffers(): void {
  if (typeof GPUDevice === 'undefined' || typeof GPUBuffer === 'undefined') return;
  gpuMetered = true;
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    const buffer = create.call(this, descriptor);
    bufferSizes.set(buffer, descriptor.size);
    collected.register(buffer, descriptor.size, buffer);
    liveBytes += descriptor.size;
    liveBuffers++;
    return buffer;
  };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    // Counted once, however often it is destroyed.
    const size = bufferSizes.get(this);
    if (size !== undefined) {
      bufferSizes.delete(this);
      collected.unregister(this);
      release(size);
    }
    return destroy.call(this);
  };
}

meterHeaps();
meterGpuBuffers();

/** This worker's memory now. */
export function workerMemory(): WorkerMemory {
  let wasm: number | null = null;
  for (const ref of heaps) {
    const memory = ref.deref();
    if (memory) wasm = (wasm ?? 0) + memory.buffer.byteLength;
  }
  return { wasmHeapBytes: wasm, gpuBufferBytes: gpuMetered ? liveBytes : null, gpuBuffers: gpuMetered ? liveBuffers : null };
}

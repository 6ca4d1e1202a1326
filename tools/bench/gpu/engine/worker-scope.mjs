// The first module of a NodeWorker's thread: the parts of a DedicatedWorkerGlobalScope our worker
// modules use (`self`, its `message` events, `postMessage`), then the worker module itself.
import { parentPort, workerData } from 'node:worker_threads';

const scope = new EventTarget();
// A browser holds messages sent before the worker's script has run; so does this.
const early = [];
let started = false;

/** The request as the worker should see it: a load's backend renamed where the run asks (see NodeWorker). */
function adapt(data) {
  const backend = data?.type === 'load' ? workerData.backends[data.placement?.backend] : undefined;
  return backend ? { ...data, placement: { ...data.placement, backend } } : data;
}

const deliver = (data) => scope.dispatchEvent(new MessageEvent('message', { data: adapt(data) }));
parentPort.on('message', (data) => (started ? deliver(data) : early.push(data)));

Object.assign(globalThis, {
  self: globalThis,
  addEventListener: scope.addEventListener.bind(scope),
  removeEventListener: scope.removeEventListener.bind(scope),
  postMessage: (message, transfer = []) => parentPort.postMessage(message, transfer),
});

// Transformers.js in Node hands onnxruntime-node a model file's path, not its bytes, so a
// download must land in its folder cache (Node's stand-in for Cache Storage); the run names a
// fresh folder, so every load downloads from the host as a first visit does.
if (workerData.cacheDir) {
  const { env } = await import('@huggingface/transformers');
  env.cacheDir = workerData.cacheDir;
}

// The worker checks after its load that a model placed on WebGPU holds onnxruntime's GPU device
// (session-placement.ts reads onnxruntime-web's `env.webgpu.device`). onnxruntime-node's WebGPU
// provider keeps its device inside the native library, where nothing can read it, and it refuses a
// session it cannot place on the GPU with an error rather than moving it: so a device stands in.
{
  const { env } = await import('@huggingface/transformers');
  const webgpu = (env.backends.onnx.webgpu ??= {});
  if (!webgpu.device) webgpu.device = Promise.resolve({ lost: new Promise(() => {}) });
}

await import(workerData.url);
started = true;
for (const data of early.splice(0)) deliver(data);

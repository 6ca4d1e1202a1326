/**
 * Whether a model placed on WebGPU still runs there. onnxruntime-web can move a session to WASM
 * without an error:
 *
 * - It initialises each execution provider once per worker and remembers a failure for good
 *   (onnxruntime-common's `backend-impl`: `aborted`, with the error kept). Asked for a list of
 *   providers (Transformers.js's `device: 'auto'` or `'gpu'`, or `session_options.executionProviders`),
 *   it drops the failed `webgpu` with nothing but a `console.warn` ("removing requested execution
 *   provider "webgpu" from session options because it is not available: …") and creates the
 *   session on `wasm`, and every later session in that worker too, until the page is reloaded.
 *   A WebGPU adapter or device that could not be had after an out-of-memory is such a failure.
 * - A session on the WebGPU provider holds onnxruntime's GPU device (`env.webgpu.device`); a
 *   session without one runs on the CPU provider.
 *
 * The engine asks for `webgpu` alone, which onnxruntime refuses with an error rather than
 * dropping; the watch is for everything else in the worker that creates sessions, and for the
 * device, whose absence is the sign either way. A worker of its own is the cure: the failure is
 * remembered per worker, not per page.
 */

/** What onnxruntime-common writes when it drops a requested provider. */
const DROPPED = /removing requested execution provider "(webgpu|webnn)"[^:]*:\s*([\s\S]*)/;

let dropped: string[] = [];
let watching = false;

/**
 * Starts listening for onnxruntime dropping WebGPU from a session (its one sign, a warning on
 * the console). Idempotent; the warning still reaches the console.
 */
export function watchProviderDrops(target: Pick<Console, 'warn'> = console): void {
  if (watching) return;
  watching = true;
  const warn = target.warn.bind(target);
  target.warn = (...args: unknown[]) => {
    const match = DROPPED.exec(args.map(String).join(' '));
    if (match?.[1] === 'webgpu') dropped.push(match[2].trim() || 'no reason given');
    warn(...args);
  };
}

/** Forgets what was seen, before a new load. */
export function resetProviderDrops(): void {
  dropped = [];
}

/**
 * Why a model placed on WebGPU is not running there, or null when it is: onnxruntime dropped
 * WebGPU from a session since the last reset, or (after a run, when the provider has made it)
 * holds no GPU device. A lost device is the device watch's to report.
 * @param device onnxruntime's GPU device, or null where it has none (`env.backends.onnx.webgpu.device`).
 */
export async function whyNotOnWebGpu(device: Promise<GPUDevice | null>): Promise<string | null> {
  if (dropped.length) return `onnxruntime dropped WebGPU from the session and runs it on WASM (${dropped[dropped.length - 1]})`;
  if (!(await device)) return 'onnxruntime holds no WebGPU device for it, so it runs on the processor';
  return null;
}

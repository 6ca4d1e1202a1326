import { SlmError, type SlmErrorCode } from '../../errors/slm-error.js';

/**
 * Runtimes fail with plain `Error`s whose only structure is their text. This turns the
 * ones we know into codes an app can act on; everything else keeps its message under the
 * phase's generic code.
 */
export function classifyRuntimeError(
  error: unknown,
  phase: 'load' | 'generate' | 'transcribe' | 'embed',
  modelId: string,
  /** Where the model was to run: a backend that fails to start on `wasm` is not a WebGPU problem. */
  backend?: string,
): SlmError {
  if (error instanceof SlmError) return error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const code = codeFor(text, error, phase, backend);
  return new SlmError(code, errorMessage(code, modelId, text), { cause: error, modelId });
}

function codeFor(text: string, error: unknown, phase: 'load' | 'generate' | 'transcribe' | 'embed', backend?: string): SlmErrorCode {
  if (/out of memory|\bOOM\b|allocation failed|bad_alloc|Array buffer allocation|exceeds the max buffer size/i.test(text)) return 'out-of-memory';
  if (/device (was )?lost|DeviceLost/i.test(text)) return 'device-lost';
  // onnxruntime's WASM runtime did not start: its `.mjs`/`.wasm` files were not served (or
  // not as `application/wasm`), or the page's CSP forbids compiling WebAssembly (Emscripten then
  // says "Aborted(…)", which is no cancellation). Unless the model was placed on WebGPU (where
  // a missing GPU is the likelier story), that is its own code.
  const wasmFailed =
    /\[wasm\]|ort-wasm[\w.-]*\.(?:m?js|wasm)|WebAssembly\.(?:instantiate|compile)|wasm-unsafe-eval|failed to (?:load|initialize) wasm|both async and sync fetching of the wasm failed/i.test(text) ||
    (backend === 'wasm' && /no available backend/i.test(text));
  if (wasmFailed && backend !== 'webgpu') return 'wasm-unavailable';
  if (/AbortError|aborted|interrupted/i.test(text)) return 'aborted';
  if (/no available backend|webgpu is not (available|supported)|requestAdapter|WebGPU.*(unavailable|not available)/i.test(text)) return 'webgpu-unavailable';
  if (wasmFailed) return 'wasm-unavailable';
  if (phase === 'load') {
    if (/Could not locate file|\b404\b|Not Found/i.test(text)) return 'model-file-missing';
    if ((error instanceof TypeError && /fetch|network/i.test(text)) || /Failed to fetch|NetworkError|ERR_CONNECTION/i.test(text)) return 'model-host-unreachable';
    return 'model-load-failed';
  }
  return 'generation-failed';
}

/**
 * What a person reads for each code. Shared by every runtime's error mapping, so the same
 * failure reads the same whichever library raised it; the runtime's own words follow.
 */
export function errorMessage(code: SlmErrorCode, modelId: string, detail: string): string {
  switch (code) {
    case 'aborted':
      return `Work on ${modelId} was cancelled.`;
    case 'unknown-model':
      return `There is no model "${modelId}". (${detail})`;
    case 'out-of-memory':
      return `Not enough memory to run ${modelId}. Try a smaller model. (${detail})`;
    case 'device-lost':
      return `The GPU stopped responding while running ${modelId}; load the model again. (${detail})`;
    case 'webgpu-unavailable':
      return `WebGPU cannot run ${modelId} in this browser; use device="wasm" or device="auto". (${detail})`;
    case 'wasm-unavailable':
      return (
        `The WebAssembly runtime for ${modelId} could not start. Serve onnxruntime's .mjs and .wasm files with the app ` +
        `(bundlers emit them from the package; or set wasmPaths to the folder that holds them), .wasm as application/wasm, ` +
        `and allow 'wasm-unsafe-eval' in script-src of the Content-Security-Policy. (${detail})`
      );
    case 'not-loaded':
      return `${modelId} is not loaded; load it first. (${detail})`;
    case 'invalid-argument':
      return `${modelId} refused the request. (${detail})`;
    case 'model-file-missing':
      return `A file of ${modelId} is missing on the model host. (${detail})`;
    case 'model-host-unreachable':
      return `The model host could not be reached while loading ${modelId}. Check the model-host URL and the network. (${detail})`;
    case 'model-load-failed':
      return `${modelId} could not be loaded. (${detail})`;
    default:
      return `${modelId} failed: ${detail}`;
  }
}

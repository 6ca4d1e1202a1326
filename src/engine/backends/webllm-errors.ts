import { SlmError, type SlmErrorCode } from '../../errors/slm-error.js';
import { errorMessage } from './runtime-errors.js';

export type WebLlmPhase = 'load' | 'generate';

/**
 * WebLLM's worker client rejects with the worker-side error's `toString()`, a plain string
 * such as "WebGPUNotAvailableError: WebGPU is not supported…", so the class is lost and
 * only the text, which begins with the class name, can be matched. Rules are tried in order.
 */
interface Rule {
  code: SlmErrorCode;
  pattern: RegExp;
  phase?: WebLlmPhase;
}

const outOfMemory = /out of memory|OutOfMemory|\bOOM\b|insufficient memory|allocation failed|failed to allocate|exceeds the max buffer size/i;
const deviceLost = /device (was |is )?lost|DeviceLost|GPUDeviceLostInfo/i;

const rules: Rule[] = [
  // `unload()` during `reload()` aborts the reload's fetches with this reason, which is what reload rejects with.
  { code: 'aborted', pattern: /Engine\.unload\(\) is called|AbortError|The user aborted a request/ },
  { code: 'unknown-model', pattern: /ModelNotFoundError|Cannot find model record|MissingModelWasmError/, phase: 'load' },
  {
    code: 'webgpu-unavailable',
    pattern: /WebGPUNotAvailableError|WebGPUNotFoundError|Cannot find WebGPU|WebGPU is not (supported|available)|navigator\.gpu|'requestAdapter'|FeatureSupportError|ShaderF16SupportError/i,
  },
  // WebLLM raises DeviceLostError from reload only, blaming memory ("…often occurs due to
  // running out of memory (OOM)"): while loading, a smaller model is the remedy.
  { code: 'out-of-memory', pattern: outOfMemory, phase: 'load' },
  // While generating, a lost device leaves the engine unusable whatever the cause, so it
  // must be told apart from a failed allocation: the app has to load again.
  { code: 'device-lost', pattern: deviceLost },
  { code: 'out-of-memory', pattern: outOfMemory },
  { code: 'not-loaded', pattern: /ModelNotLoadedError|is not loaded with a model|Model not loaded before/, phase: 'generate' },
  {
    code: 'invalid-argument',
    pattern: /ContextWindowSizeExceededError|Prompt tokens exceed context window|MessageOrderError|Last message should be from|System prompt should always be the first|InvalidResponseFormat\w*Error|InvalidStreamOptionsError|GrammarMatcherInitError/,
    phase: 'generate',
  },
  // With the Cache API, Chromium words any non-OK answer as "Failed to execute 'add' on
  // 'Cache': Request failed"; the host answered, so the file is what is missing.
  {
    code: 'model-file-missing',
    pattern: /\b404\b|Not Found|Failed to execute 'add' on 'Cache'|received status 4\d\d|Network response was not ok/,
    phase: 'load',
  },
  { code: 'model-host-unreachable', pattern: /Failed to fetch|NetworkError|Load failed|net::ERR_|ERR_CONNECTION|ERR_NAME_NOT_RESOLVED/, phase: 'load' },
];

/** The text of whatever WebLLM threw: an Error, the string a worker passed on, or a GPU info object. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return `${Object.prototype.toString.call(error)} ${String(error.message)}`;
  return String(error);
}

/** Turns a WebLLM failure into the library's error, with a code an app can act on. */
export function toSlmError(error: unknown, phase: WebLlmPhase, modelId: string): SlmError {
  if (error instanceof SlmError) return error;
  const detail = errorText(error);
  // Our own model-file errors from inside WebLLM's worker (see webllm-files.ts), read back as they were.
  const ours = /SlmError\[([a-z-]+)\]: ([\s\S]*)$/.exec(detail);
  if (ours) return new SlmError(ours[1] as SlmErrorCode, ours[2], { cause: error, modelId });
  const rule = rules.find((r) => (r.phase === undefined || r.phase === phase) && r.pattern.test(detail));
  const code = rule?.code ?? (phase === 'load' ? 'model-load-failed' : 'generation-failed');
  return new SlmError(code, errorMessage(code, modelId, detail), { cause: error, modelId });
}

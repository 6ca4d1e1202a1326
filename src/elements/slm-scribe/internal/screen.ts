import type { ModelState } from '../../../engine/types.js';

/**
 * What the app shows above the workspace, one value per state a clinician can meet:
 * `checking` (reading the device and the model cache), `setup` (no models yet), `offline`
 * (no network and nothing cached), `loading`, `ready`, `failed` (a model could not load).
 * Recording and storage trouble are shown on top of any of these.
 */
export type ScribeScreen = 'checking' | 'setup' | 'offline' | 'loading' | 'ready' | 'failed';

export interface ScreenInput {
  /** The cache and the device were read. */
  checked: boolean;
  /** Every configured model is in Cache Storage. */
  allCached: boolean;
  online: boolean;
  asr: Readonly<ModelState>;
  llm: Readonly<ModelState>;
}

export function screenFor({ checked, allCached, online, asr, llm }: ScreenInput): ScribeScreen {
  const models = [asr, llm];
  if (models.some((m) => m.status === 'error')) {
    // A model host that cannot be reached, with nothing kept, is the offline screen: the fix is the network.
    const unreachable = models.every((m) => m.status !== 'error' || m.error?.code === 'model-host-unreachable');
    return unreachable && !allCached && !online ? 'offline' : 'failed';
  }
  if (models.some((m) => m.status === 'loading')) return 'loading';
  if (asr.status === 'ready') return 'ready';
  if (!checked) return 'checking';
  if (!allCached && !online) return 'offline';
  return allCached ? 'loading' : 'setup';
}

/** A failure as the clinic app shows it; see `failureFor`. */
export interface FailureText {
  /** What went wrong, in a clinician's words. */
  problem: string;
  /** What the clinician can do about it (`remedyFor`). */
  remedy: string;
  /** The library's own message, for whoever supports the app; null where `problem` is that message. */
  technical: string | null;
}

/**
 * A failure for the clinician. The library's messages speak to the developer (`device="wasm"`,
 * "check the model-host URL") and would say twice what the remedy says; for those codes the
 * problem is put plainly and the message is kept as the technical detail.
 */
export function failureFor(error: { code: string; message: string; modelId?: string }): FailureText {
  const model = error.modelId ?? 'A model';
  const plain: Record<string, string> = {
    'model-host-unreachable': `${model} could not be downloaded: the model host did not answer.`,
    'model-integrity': `A file of ${error.modelId ?? 'a model'} from the model host is not the one this app expects, so it was refused.`,
    'webgpu-unavailable': `${model} needs the graphics processor, and this browser cannot use it.`,
    'wasm-unavailable': 'The model runtime could not start in this browser.',
    'out-of-memory': `There was not enough memory to run ${error.modelId ?? 'the model'}.`,
    'device-lost': `The graphics processor stopped responding while running ${error.modelId ?? 'a model'}.`,
  };
  const problem = plain[error.code];
  return { problem: problem ?? error.message, remedy: remedyFor(error.code), technical: problem ? error.message : null };
}

/** What the clinician can do about a model that failed, by its error code. */
export function remedyFor(code: string | undefined): string {
  switch (code) {
    case 'model-host-unreachable':
      return 'Check the network connection (or the clinic model mirror), then try again.';
    case 'model-integrity':
      return 'Ask whoever set up this app to check the model mirror.';
    case 'model-file-missing':
    case 'unknown-model':
      return 'The model name or mirror is wrong: ask whoever set up this app to check the model settings.';
    case 'out-of-memory':
    case 'device-lost':
      return 'Close other tabs and apps, then try again; if it fails again, choose a smaller language model.';
    case 'webgpu-unavailable':
      return 'This browser offers no usable graphics processor: choose a model that runs on the processor (WASM).';
    case 'wasm-unavailable':
      return 'Ask whoever set up this app to check how it serves the model runtime’s files; reloading will not help.';
    case 'storage-quota':
      return 'Free space on this device, or export and erase old visits; what is not saved yet stays on this page and is retried.';
    case 'mic-denied':
      return 'Allow the microphone for this site in the browser’s address bar, then press Record again.';
    case 'mic-unavailable':
    case 'mic-disconnected':
      return 'Check that a microphone is plugged in and not used by another app, then press Record again. What was transcribed is kept.';
    default:
      return 'Try again; if it keeps failing, reload the page. Dictation already recorded is kept.';
  }
}

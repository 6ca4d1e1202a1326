import { html, nothing } from 'lit';

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
 * A failure for the clinician. Some of the library's messages speak to the developer
 * (`device="wasm"`, "check the model-host URL") or carry their own advice, which the remedy would
 * say twice; for those codes the problem is put plainly and the message is kept as the
 * technical detail.
 */
export function failureFor(error: { code: string; message: string; modelId?: string }): FailureText {
  const model = error.modelId ?? 'the model';
  const plain: Record<string, string> = {
    'model-host-unreachable': `${error.modelId ?? 'A model'} could not be downloaded: the model host did not answer.`,
    'model-integrity': `A file of ${model} from the model host is not the one this app expects, so it was refused.`,
    'webgpu-unavailable': `${error.modelId ?? 'This model'} needs the graphics processor, and this browser cannot use it.`,
    'wasm-unavailable': 'The model runtime could not start in this browser.',
    'out-of-memory': `There was not enough memory to run ${model}.`,
    'device-lost': `The graphics processor stopped responding while running ${model}.`,
    'storage-quota': 'Storage is full.',
    'mic-denied': 'Microphone access was refused.',
    'mic-unavailable': 'No usable microphone was found.',
    'mic-disconnected': 'The microphone stopped (unplugged, or taken by another app).',
  };
  const problem = plain[error.code];
  return { problem: problem ?? error.message, remedy: remedyFor(error.code), technical: problem ? error.message : null };
}

/** What the clinician can do about a failure, by its error code. */
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

/**
 * A failure in a clinician's words with what to do, and the library's own message folded away
 * for whoever supports the app. `role="alert"` where it appears as it happens.
 */
export function renderFailure(error: { code: string; message: string; modelId?: string }, role?: 'alert') {
  const { problem, remedy, technical } = failureFor(error);
  return html`<span class="error" role=${role ?? nothing}>${problem} ${remedy}</span>
    ${technical ? html`<details class="technical"><summary>Technical details</summary>${technical}</details>` : nothing}`;
}

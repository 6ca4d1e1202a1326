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

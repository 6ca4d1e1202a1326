import type { ModelPreset } from '../types.js';
import type { IntegrityPins } from './integrity.js';

/**
 * A model preset's pins (`ModelPreset.integrity`) and the repos whose files they pin: a
 * Transformers.js model's own repo; for WebLLM, the repos of its weights (both variants) and
 * `mlc-ai/binary-mlc-llm-libs`, where its model libraries are.
 */
export interface PresetPins {
  repos: readonly string[];
  pins: IntegrityPins;
}

/** Where WebLLM's model libraries are, on the hub's layout (see `recordForHost`). */
export const WEBLLM_LIBS_REPO = 'mlc-ai/binary-mlc-llm-libs';

/**
 * The pins of a preset, with the repos they apply to; null when it pins nothing. `weightsUrl`
 * gives a WebLLM model id's weights URL (its record's `model`), which names the repo: not
 * always `mlc-ai/{model_id}` (the `-1k` records share the full model's repo).
 */
export function presetPinsOf(preset: ModelPreset, weightsUrl: (modelId: string) => string | undefined): PresetPins | null {
  if (!preset.integrity) return null;
  if (preset.runtime !== 'webllm') return { repos: [preset.modelId], pins: preset.integrity };
  const repos = [preset.modelId, preset.modelIdF32]
    .map((id) => (id === undefined ? undefined : weightsUrl(id)))
    .map((url) => (url ? /\/([^/]+\/[^/]+)\/?$/.exec(new URL(url).pathname)?.[1] : undefined))
    .filter((repo): repo is string => repo !== undefined);
  return { repos: [...new Set(repos), WEBLLM_LIBS_REPO], pins: preset.integrity };
}

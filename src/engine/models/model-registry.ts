import { SlmError } from '../../errors/slm-error.js';
import type { ModelKind, ModelPreset } from '../types.js';
import { buildWebLlmPresets, testLlmPreset, transformersLlmPresets } from './llm-presets.js';
import { speechPresets, testAsrPreset } from './speech-presets.js';
import type { WebLlmModelRecord } from './webllm-record.js';

export type { WebLlmModelRecord };

/** Every model the elements know by name, and how to turn any model id into a preset. */
export class ModelRegistry {
  private readonly byId: Map<string, ModelPreset>;
  private readonly webLlmRecords: Map<string, WebLlmModelRecord>;

  constructor(presets: ModelPreset[], webLlmRecords: readonly WebLlmModelRecord[]) {
    this.byId = new Map(presets.map((preset) => [preset.id, preset]));
    this.webLlmRecords = new Map(webLlmRecords.map((record) => [record.model_id, record]));
  }

  presets(kind?: ModelKind): ModelPreset[] {
    return [...this.byId.values()].filter((preset) => !kind || preset.kind === kind);
  }

  get(id: string): ModelPreset | undefined {
    return this.byId.get(id);
  }

  /** WebLLM's record for a model id, with its URLs, when it has one. */
  webLlmRecord(modelId: string): WebLlmModelRecord | undefined {
    return this.webLlmRecords.get(modelId);
  }

  /**
   * A preset for what the `llm` / `asr` attribute says: a preset id, a preset's model id,
   * any model in WebLLM's list, or a Hugging Face repo id (`org/name`) for Transformers.js.
   */
  resolve(kind: ModelKind, idOrModelId: string): ModelPreset {
    const id = idOrModelId.trim();
    const preset = this.byId.get(id);
    if (preset && preset.kind === kind) return preset;
    for (const candidate of this.presets(kind)) {
      if (candidate.modelId === id || candidate.modelIdF32 === id) return candidate;
    }
    const record = kind === 'llm' ? this.webLlmRecords.get(id) : undefined;
    if (record) {
      return {
        id,
        kind,
        label: id,
        runtime: 'webllm',
        modelId: id,
        downloadBytes: 0,
        memoryBytes: Math.round((record.vram_required_MB ?? 0) * 1e6),
        license: 'see the model card',
        goodFor: '',
        requiredFeatures: record.required_features ?? [],
        lowResource: record.low_resource_required ?? false,
      };
    }
    if (/^[\w.-]+\/[\w.-]+$/.test(id)) {
      return { id, kind, label: id, runtime: 'transformers', modelId: id, downloadBytes: 0, memoryBytes: 0, license: 'see the model card', goodFor: '' };
    }
    const suggestions = this.presets(kind)
      .filter((p) => !p.id.startsWith('test-'))
      .slice(0, 5)
      .map((p) => p.id)
      .join(', ');
    const what = kind === 'llm' ? 'language model' : 'speech model';
    throw new SlmError(
      'unknown-model',
      `Unknown ${what} "${id}". Use a preset id (${suggestions}, …), a WebLLM model id, or a Hugging Face repo id such as "org/name".`,
      { modelId: id },
    );
  }
}

/** A registry from a given WebLLM model list (tests pass the real `prebuiltAppConfig.model_list`). */
export function buildModelRegistry(webLlmModelList: readonly WebLlmModelRecord[]): ModelRegistry {
  return new ModelRegistry(
    [...buildWebLlmPresets(webLlmModelList), ...transformersLlmPresets, testLlmPreset, ...speechPresets, testAsrPreset],
    webLlmModelList,
  );
}

let registry: Promise<ModelRegistry> | null = null;

/**
 * The registry, built from the installed WebLLM's model list. WebLLM is 6.8 MB of script,
 * so it is imported only here, on first need, never by importing an element.
 */
export function loadModelRegistry(): Promise<ModelRegistry> {
  registry ??= import('@mlc-ai/web-llm').then(
    (webllm) => buildModelRegistry(webllm.prebuiltAppConfig.model_list as WebLlmModelRecord[]),
    (error: unknown) => {
      registry = null;
      throw error;
    },
  );
  return registry;
}

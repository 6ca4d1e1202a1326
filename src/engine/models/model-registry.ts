import { SlmError } from '../../errors/slm-error.js';
import type { ModelKind, ModelPreset } from '../types.js';
import { buildLlmPresets, testLlmPreset, transformersLlmPresets, webLlmPresetFromRecord } from './llm-presets.js';
import { speechPresets, testAsrPreset, testMoonshinePreset } from './speech-presets.js';
import type { WebLlmModelRecord } from './webllm-record.js';

export type { WebLlmModelRecord };
export { buildLlmPresets };

/**
 * A Hugging Face repo id, `owner/name`: letters, digits, `-`, `_` and `.`, starting and ending
 * with a letter or digit. The strictness matters: the id becomes part of a download URL, so
 * a `..` segment or a second `/` must never pass.
 */
const HF_REPO_ID = /^[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?\/[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?$/;

/** Every model the elements know by name, and how to turn any model id into a preset. */
export class ModelRegistry {
  private readonly byId: Map<string, ModelPreset>;
  private readonly webLlmRecords: Map<string, WebLlmModelRecord>;

  constructor(presets: readonly ModelPreset[], webLlmRecords: readonly WebLlmModelRecord[]) {
    this.byId = new Map(presets.map((preset) => [preset.id, preset]));
    this.webLlmRecords = new Map(webLlmRecords.map((record) => [record.model_id, record]));
  }

  /** The curated presets, in the order a picker should show them; optionally of one kind. */
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
   * A preset for what the `llm` / `asr` attribute (or the embedding model's id) says: a preset id; a preset's model id,
   * q4f32 id or WASM stand-in; any model in WebLLM's list; or a Hugging Face repo id
   * (`owner/name`) for Transformers.js. Anything else throws `unknown-model`.
   */
  resolve(kind: ModelKind, idOrModelId: string): ModelPreset {
    const id = idOrModelId.trim();
    const ofKind = this.presets(kind);
    const preset = this.byId.get(id);
    if (preset?.kind === kind) return preset;
    if (preset) throw this.unknown(kind, id, `"${id}" is a ${describeKind(preset.kind)}, not a ${describeKind(kind)}.`);

    // A model id names its exact build, so an exact match wins over a stand-in that shares it
    // (onnx-community/Qwen2.5-0.5B-Instruct is both qwen2.5-0.5b-onnx and qwen2.5-0.5b's stand-in).
    const byModelId =
      ofKind.find((p) => p.modelId === id) ?? ofKind.find((p) => p.modelIdF32 === id) ?? ofKind.find((p) => p.fallbackModelId === id);
    if (byModelId) return byModelId;

    const record = kind === 'llm' ? this.webLlmRecords.get(id) : undefined;
    if (record) return webLlmPresetFromRecord(record, this.webLlmRecords);

    if (HF_REPO_ID.test(id)) {
      return { id, kind, label: id, runtime: 'transformers', modelId: id, downloadBytes: 0, memoryBytes: 0, license: 'See the model card', goodFor: 'A Transformers.js model chosen by its repo id.' };
    }
    throw this.unknown(kind, id, `Unknown ${describeKind(kind)} "${id}".`);
  }

  private unknown(kind: ModelKind, id: string, opening: string): SlmError {
    const suggestions = this.presets(kind)
      .filter((p) => !p.id.startsWith('test-'))
      .slice(0, 4)
      .map((p) => p.id)
      .join(', ');
    if (!suggestions) return new SlmError('unknown-model', `${opening} Use a Hugging Face repo id such as "owner/name".`, { modelId: id });
    const ways = kind === 'llm' ? 'a WebLLM model id, or a Hugging Face repo id such as "owner/name"' : 'or a Hugging Face repo id such as "owner/name"';
    return new SlmError('unknown-model', `${opening} Use a preset id (${suggestions}, …), ${ways}.`, { modelId: id });
  }
}

function describeKind(kind: ModelKind): string {
  return { llm: 'language model', asr: 'speech model', embed: 'embedding model' }[kind];
}

/** A registry from a given WebLLM model list (tests pass the real `prebuiltAppConfig.model_list`). */
export function buildModelRegistry(webLlmModelList: readonly WebLlmModelRecord[]): ModelRegistry {
  return new ModelRegistry(
    [...buildLlmPresets(webLlmModelList), ...transformersLlmPresets, testLlmPreset, ...speechPresets, testAsrPreset, testMoonshinePreset],
    webLlmModelList,
  );
}

let registry: Promise<ModelRegistry> | null = null;

/**
 * The registry, built from the installed WebLLM's model list as `npm run webllm:models` extracted
 * it (a test holds the two equal): the page places a language model without importing WebLLM,
 * 6.8 MB of script that only its worker runs. The list is imported on first need, never by
 * importing an element; a failed import is forgotten, so the next call tries again.
 */
export function loadModelRegistry(): Promise<ModelRegistry> {
  registry ??= import('./webllm-model-list.js').then(
    ({ WEBLLM_MODEL_LIST }) => buildModelRegistry(WEBLLM_MODEL_LIST),
    (error: unknown) => {
      registry = null;
      throw error;
    },
  );
  return registry;
}

let speechRegistry: ModelRegistry | null = null;

/**
 * The registry a model of `kind` resolves in. Speech and embedding models need nothing of
 * WebLLM's list, so they are placed without waiting for it (when it was read from WebLLM's
 * 6.8 MB of script, that import held the speech model's first byte back by seconds on a phone
 * link, `npm run bench:load`).
 */
export function loadModelRegistryFor(kind: ModelKind): Promise<ModelRegistry> {
  if (kind === 'llm') return loadModelRegistry();
  speechRegistry ??= new ModelRegistry([...speechPresets, testAsrPreset, testMoonshinePreset], []);
  return Promise.resolve(speechRegistry);
}

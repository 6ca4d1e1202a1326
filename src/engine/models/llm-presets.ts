import type { ModelPreset } from '../types.js';
import type { WebLlmModelRecord } from './webllm-record.js';

const MB = 1e6;
const GB = 1e9;

/** Our curation: which WebLLM models we offer, and what we know that WebLLM's records do not. */
interface WebLlmCuration {
  id: string;
  label: string;
  /** The `model_id` prefix; `-q4f16_1-MLC` and `-q4f32_1-MLC` complete it. */
  base: string;
  /** The q4f16 build's download, rounded: WebLLM's records carry memory needs but no sizes. */
  downloadBytes: number;
  license: string;
  goodFor: string;
  fallbackModelId?: string;
  /** Weight formats the fallback repo publishes, where it lacks the default q4. */
  fallbackDtypes?: ModelPreset['dtypes'];
}

const webLlmCurations: WebLlmCuration[] = [
  {
    id: 'phi-4-mini',
    label: 'Phi-4 mini (3.8B)',
    base: 'Phi-4-mini-instruct',
    downloadBytes: 2.2 * GB,
    license: 'MIT',
    goodFor: 'The strongest reasoning of the presets, for structured notes; needs a capable GPU.',
  },
  {
    id: 'phi-3.5-mini',
    label: 'Phi-3.5 mini (3.8B)',
    base: 'Phi-3.5-mini-instruct',
    downloadBytes: 2.1 * GB,
    license: 'MIT',
    goodFor: 'Reliable instruction following and JSON output on a mid-range GPU.',
    fallbackModelId: 'onnx-community/Phi-3.5-mini-instruct-onnx-web',
    // That repo publishes only model_q4f16.onnx.
    fallbackDtypes: { wasm: 'q4f16' },
  },
  {
    id: 'gemma-2-2b',
    label: 'Gemma 2 (2B)',
    base: 'gemma-2-2b-it',
    downloadBytes: 1.4 * GB,
    license: 'Gemma Terms of Use',
    goodFor: 'Fluent summaries at a moderate size.',
  },
  {
    id: 'qwen2.5-1.5b',
    label: 'Qwen2.5 (1.5B)',
    base: 'Qwen2.5-1.5B-Instruct',
    downloadBytes: 0.9 * GB,
    license: 'Apache-2.0',
    goodFor: 'Good JSON and multilingual text on modest laptops.',
    fallbackModelId: 'onnx-community/Qwen2.5-1.5B-Instruct',
  },
  {
    id: 'llama-3.2-1b',
    label: 'Llama 3.2 (1B)',
    base: 'Llama-3.2-1B-Instruct',
    downloadBytes: 0.7 * GB,
    license: 'Llama 3.2 Community License',
    goodFor: 'Quick chat answers on small GPUs.',
    fallbackModelId: 'onnx-community/Llama-3.2-1B-Instruct',
  },
  {
    id: 'qwen2.5-0.5b',
    label: 'Qwen2.5 (0.5B)',
    base: 'Qwen2.5-0.5B-Instruct',
    downloadBytes: 0.28 * GB,
    license: 'Apache-2.0',
    goodFor: 'The smallest useful model: fast drafts and routing.',
    fallbackModelId: 'onnx-community/Qwen2.5-0.5B-Instruct',
  },
  {
    id: 'smollm2-360m',
    label: 'SmolLM2 (360M)',
    base: 'SmolLM2-360M-Instruct',
    downloadBytes: 0.21 * GB,
    license: 'Apache-2.0',
    goodFor: 'Tiny and fast; simple questions and classification.',
    fallbackModelId: 'HuggingFaceTB/SmolLM2-360M-Instruct',
  },
];

/**
 * LLM presets for WebLLM, with memory needs and feature requirements read from WebLLM's
 * own records (`prebuiltAppConfig.model_list`), never copied by hand. A preset whose
 * records are missing from the list is left out.
 */
export function buildLlmPresets(modelList: readonly WebLlmModelRecord[]): ModelPreset[] {
  const byId = new Map(modelList.map((record) => [record.model_id, record]));
  const presets: ModelPreset[] = [];
  for (const curation of webLlmCurations) {
    const f16 = byId.get(`${curation.base}-q4f16_1-MLC`);
    const f32 = byId.get(`${curation.base}-q4f32_1-MLC`);
    const preferred = f16 ?? f32;
    if (!preferred) continue;
    presets.push({
      id: curation.id,
      kind: 'llm',
      label: curation.label,
      runtime: 'webllm',
      modelId: preferred.model_id,
      ...(f32 ? { modelIdF32: f32.model_id } : {}),
      ...(curation.fallbackModelId ? { fallbackModelId: curation.fallbackModelId } : {}),
      ...(curation.fallbackDtypes ? { dtypes: curation.fallbackDtypes } : {}),
      downloadBytes: curation.downloadBytes,
      memoryBytes: Math.round((preferred.vram_required_MB ?? 0) * MB),
      license: curation.license,
      goodFor: curation.goodFor,
      requiredFeatures: preferred.required_features ?? [],
      lowResource: preferred.low_resource_required ?? false,
    });
  }
  return presets;
}

/** The same preset shape for any model in WebLLM's list, for ids no preset names. */
export function webLlmPresetFromRecord(record: WebLlmModelRecord, modelList: ReadonlyMap<string, WebLlmModelRecord>): ModelPreset {
  // Offer the q4f32 sibling of a 16-bit build, so GPUs without shader-f16 can still run it.
  const f32Id = record.model_id.replace(/^(.*-q\d+)f16(_\d+)?(-MLC.*)$/, '$1f32$2$3');
  const f32 = f32Id !== record.model_id ? modelList.get(f32Id) : undefined;
  return {
    id: record.model_id,
    kind: 'llm',
    label: record.model_id,
    runtime: 'webllm',
    modelId: record.model_id,
    ...(f32 ? { modelIdF32: f32.model_id } : {}),
    downloadBytes: 0,
    memoryBytes: Math.round((record.vram_required_MB ?? 0) * MB),
    license: 'See the model card',
    goodFor: 'A WebLLM model chosen by its full id.',
    requiredFeatures: record.required_features ?? [],
    lowResource: record.low_resource_required ?? false,
  };
}

/**
 * ONNX LLMs that Transformers.js runs on WebGPU or WASM: the path where WebLLM cannot run.
 * Sizes are for the q4 files that WASM loads (q4f16 on WebGPU is about a third smaller).
 */
export const transformersLlmPresets: ModelPreset[] = [
  {
    id: 'qwen2.5-0.5b-onnx',
    kind: 'llm',
    label: 'Qwen2.5 (0.5B, ONNX)',
    runtime: 'transformers',
    modelId: 'onnx-community/Qwen2.5-0.5B-Instruct',
    downloadBytes: 0.79 * GB,
    memoryBytes: 1.0 * GB,
    license: 'Apache-2.0',
    goodFor: 'Runs without WebGPU (WASM), slowly; JSON-capable.',
  },
  {
    id: 'smollm2-360m-onnx',
    kind: 'llm',
    label: 'SmolLM2 (360M, ONNX)',
    runtime: 'transformers',
    modelId: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    downloadBytes: 0.42 * GB,
    memoryBytes: 0.6 * GB,
    license: 'Apache-2.0',
    goodFor: 'The fastest model on WASM; short answers.',
  },
  {
    id: 'llama-3.2-1b-onnx',
    kind: 'llm',
    label: 'Llama 3.2 (1B, ONNX)',
    runtime: 'transformers',
    modelId: 'onnx-community/Llama-3.2-1B-Instruct',
    downloadBytes: 1.66 * GB,
    memoryBytes: 2.0 * GB,
    license: 'Llama 3.2 Community License',
    goodFor: 'Better answers than the smaller ONNX models where WebGPU exists.',
  },
];

/** Random-weight fixtures the project generates: they load and stream for real but say nothing. */
export const testLlmPreset: ModelPreset = {
  id: 'test-llm',
  kind: 'llm',
  label: 'Test LLM (random weights)',
  runtime: 'transformers',
  modelId: 'slm-test/llama-tiny-random',
  downloadBytes: 0.9 * MB,
  memoryBytes: 8 * MB,
  license: 'MIT',
  goodFor: 'Tests and offline demos: real loading and streaming, meaningless text.',
  // The fixture ships fp32 weights only.
  dtypes: { webgpu: 'fp32', wasm: 'fp32', webnn: 'fp32' },
};

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
  downloadBytes: number;
  license: string;
  goodFor: string;
  fallbackModelId?: string;
}

const webLlmCurations: WebLlmCuration[] = [
  { id: 'phi-4-mini', label: 'Phi-4 mini (3.8B)', base: 'Phi-4-mini-instruct', downloadBytes: 2.2 * GB, license: 'MIT', goodFor: 'The strongest reasoning of the presets, for structured notes; needs a capable GPU.' },
  { id: 'phi-3.5-mini', label: 'Phi-3.5 mini (3.8B)', base: 'Phi-3.5-mini-instruct', downloadBytes: 2.1 * GB, license: 'MIT', goodFor: 'Reliable instruction following and JSON output on a mid-range GPU.', fallbackModelId: 'onnx-community/Phi-3.5-mini-instruct-onnx-web' },
  { id: 'gemma-2-2b', label: 'Gemma 2 (2B)', base: 'gemma-2-2b-it', downloadBytes: 1.4 * GB, license: 'Gemma Terms of Use', goodFor: 'Fluent summaries at a moderate size.' },
  { id: 'qwen2.5-1.5b', label: 'Qwen2.5 (1.5B)', base: 'Qwen2.5-1.5B-Instruct', downloadBytes: 0.9 * GB, license: 'Apache-2.0', goodFor: 'Good JSON and multilingual text on modest laptops.', fallbackModelId: 'onnx-community/Qwen2.5-1.5B-Instruct' },
  { id: 'llama-3.2-1b', label: 'Llama 3.2 (1B)', base: 'Llama-3.2-1B-Instruct', downloadBytes: 0.7 * GB, license: 'Llama 3.2 Community License', goodFor: 'Quick chat answers on small GPUs.', fallbackModelId: 'onnx-community/Llama-3.2-1B-Instruct' },
  { id: 'qwen2.5-0.5b', label: 'Qwen2.5 (0.5B)', base: 'Qwen2.5-0.5B-Instruct', downloadBytes: 0.28 * GB, license: 'Apache-2.0', goodFor: 'The smallest useful model: fast drafts and routing.', fallbackModelId: 'onnx-community/Qwen2.5-0.5B-Instruct' },
  { id: 'smollm2-360m', label: 'SmolLM2 (360M)', base: 'SmolLM2-360M-Instruct', downloadBytes: 0.21 * GB, license: 'Apache-2.0', goodFor: 'Tiny and fast; simple questions and classification.', fallbackModelId: 'HuggingFaceTB/SmolLM2-360M-Instruct' },
];

/**
 * LLM presets for WebLLM, with memory needs and feature requirements read from WebLLM's
 * own records (`prebuiltAppConfig.model_list`), never copied by hand. A preset whose
 * records are missing from the list is left out.
 */
export function buildWebLlmPresets(modelList: readonly WebLlmModelRecord[]): ModelPreset[] {
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

/** ONNX LLMs that Transformers.js runs on WebGPU or WASM: the path where WebLLM cannot run. */
export const transformersLlmPresets: ModelPreset[] = [
  { id: 'qwen2.5-0.5b-onnx', kind: 'llm', label: 'Qwen2.5 (0.5B, ONNX)', runtime: 'transformers', modelId: 'onnx-community/Qwen2.5-0.5B-Instruct', downloadBytes: 0.48 * GB, memoryBytes: 0.9 * GB, license: 'Apache-2.0', goodFor: 'Runs without WebGPU (WASM), slowly; JSON-capable.' },
  { id: 'smollm2-360m-onnx', kind: 'llm', label: 'SmolLM2 (360M, ONNX)', runtime: 'transformers', modelId: 'HuggingFaceTB/SmolLM2-360M-Instruct', downloadBytes: 0.26 * GB, memoryBytes: 0.6 * GB, license: 'Apache-2.0', goodFor: 'The fastest model on WASM; short answers.' },
  { id: 'llama-3.2-1b-onnx', kind: 'llm', label: 'Llama 3.2 (1B, ONNX)', runtime: 'transformers', modelId: 'onnx-community/Llama-3.2-1B-Instruct', downloadBytes: 1.0 * GB, memoryBytes: 1.6 * GB, license: 'Llama 3.2 Community License', goodFor: 'Better answers than the smaller ONNX models where WebGPU exists.' },
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
  dtypes: { webgpu: 'fp32', wasm: 'fp32', webnn: 'fp32' },
};

import type { ModelRecord } from '@mlc-ai/web-llm';
import type { ModelPlacement } from '../../src/engine/types.js';

/** The WebLLM fixture (test/fixtures/models/slm-test/webllm-tiny-random/): its id, repo on the model host and model library. */
export const MODEL_ID = 'slm-test-webllm-tiny';
export const REPO = 'slm-test/webllm-tiny-random';
export const LIB = 'web-llm-models/v0_2_86/slm-test-tiny-webgpu.wasm';

/** As WebLLM's prebuilt records name them: weights on the hub, the library on GitHub; `recordForHost` moves both to the model host. */
export const modelList: ModelRecord[] = [
  {
    model_id: MODEL_ID,
    model: `https://huggingface.co/${REPO}`,
    model_lib: `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/${LIB}`,
    vram_required_MB: 1,
    low_resource_required: true,
  },
];

export const placement = { kind: 'llm', runtime: 'webllm', backend: 'webgpu', dtype: 'q4f32', modelId: MODEL_ID, reason: 'test' } as unknown as ModelPlacement;

/** One file of the fixture, as the dev server has it. */
export const fixture = async (file: string) => new Uint8Array(await (await fetch(`/test/fixtures/models/${REPO}/${file}`)).arrayBuffer());

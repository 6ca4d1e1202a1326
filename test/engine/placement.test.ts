import { expect } from '@open-wc/testing';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { buildModelRegistry, type WebLlmModelRecord } from '../../src/engine/models/model-registry.js';
import { planPlacement } from '../../src/engine/placement.js';
import type { DevicePreference, DeviceReport } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';

const registry = buildModelRegistry(prebuiltAppConfig.model_list as WebLlmModelRecord[]);

type Overrides = { gpu?: false | { f16?: boolean; fallback?: boolean }; npu?: boolean; memory?: number | null; quotaGB?: number };

/** A synthetic device: a discrete GPU with shader-f16 and 8 GB, unless told otherwise. */
function makeReport({ gpu = { f16: true }, npu = false, memory = 8, quotaGB = 100 }: Overrides = {}): DeviceReport {
  const features = gpu ? ['timestamp-query', ...(gpu.f16 ? ['shader-f16'] : [])] : [];
  return {
    webgpu: {
      available: gpu !== false,
      adapter: gpu ? { vendor: gpu.fallback ? 'google' : 'nvidia', architecture: gpu.fallback ? 'swiftshader' : 'ampere', description: '' } : null,
      isFallbackAdapter: gpu ? Boolean(gpu.fallback) : false,
      features,
      shaderF16: features.includes('shader-f16'),
      limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 },
    },
    webnn: { available: npu, deviceTypes: npu ? ['npu', 'cpu'] : [] },
    wasm: { threads: false, simd: true },
    crossOriginIsolated: false,
    hardwareConcurrency: 8,
    deviceMemoryGB: memory,
    storage: { quotaBytes: quotaGB * 1e9, usageBytes: 0, persisted: false },
  };
}

interface Row {
  name: string;
  report: DeviceReport;
  llm?: string;
  asr?: string;
  device?: DevicePreference;
  expect: { llm?: [runtime: string, backend: string, dtype: string, modelId: string]; asr?: [backend: string, dtype: string] };
}

const rows: Row[] = [
  { name: 'discrete GPU with shader-f16', report: makeReport(), llm: 'phi-3.5-mini', asr: 'whisper-base', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Phi-3.5-mini-instruct-q4f16_1-MLC'], asr: ['webgpu', 'fp16'] } },
  { name: 'GPU without shader-f16 (SwiftShader)', report: makeReport({ gpu: { f16: false, fallback: true } }), llm: 'phi-3.5-mini', asr: 'whisper-base', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'Phi-3.5-mini-instruct-q4f32_1-MLC'], asr: ['webgpu', 'fp32'] } },
  { name: 'f16-only record on a GPU without f16 falls to q4f32', report: makeReport({ gpu: { f16: false } }), llm: 'smollm2-360m', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'SmolLM2-360M-Instruct-q4f32_1-MLC'] } },
  { name: 'no WebGPU: WebLLM preset falls back to its ONNX build on WASM', report: makeReport({ gpu: false }), llm: 'qwen2.5-0.5b', asr: 'whisper-base', expect: { llm: ['transformers', 'wasm', 'q4', 'onnx-community/Qwen2.5-0.5B-Instruct'], asr: ['wasm', 'q8'] } },
  { name: 'WASM asked for on a GPU machine', report: makeReport(), llm: 'smollm2-360m', asr: 'whisper-tiny', device: 'wasm', expect: { llm: ['transformers', 'wasm', 'q4', 'HuggingFaceTB/SmolLM2-360M-Instruct'], asr: ['wasm', 'q8'] } },
  { name: 'Transformers.js LLM on a GPU with f16', report: makeReport(), llm: 'llama-3.2-1b-onnx', expect: { llm: ['transformers', 'webgpu', 'q4f16', 'onnx-community/Llama-3.2-1B-Instruct'] } },
  { name: 'Transformers.js LLM on a GPU without f16', report: makeReport({ gpu: { f16: false } }), llm: 'qwen2.5-0.5b-onnx', expect: { llm: ['transformers', 'webgpu', 'q4', 'onnx-community/Qwen2.5-0.5B-Instruct'] } },
  { name: 'small GPU, NPU present: speech moves to WebNN', report: makeReport({ memory: 4, npu: true }), llm: 'qwen2.5-1.5b', asr: 'whisper-base', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC'], asr: ['webnn-npu', 'fp16'] } },
  { name: 'small GPU, no NPU: speech moves to WASM', report: makeReport({ memory: 4 }), llm: 'qwen2.5-1.5b', asr: 'whisper-base', expect: { asr: ['wasm', 'q8'] } },
  { name: 'big LLM on an 8 GB laptop: speech leaves the GPU', report: makeReport({ memory: 8 }), llm: 'phi-4-mini', asr: 'whisper-small', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Phi-4-mini-instruct-q4f16_1-MLC'], asr: ['wasm', 'q8'] } },
  { name: 'small LLM on an 8 GB laptop: speech stays on the GPU', report: makeReport({ memory: 8 }), llm: 'qwen2.5-0.5b', asr: 'whisper-base', expect: { asr: ['webgpu', 'fp16'] } },
  { name: 'unknown device memory: speech stays on the GPU', report: makeReport({ memory: null }), llm: 'phi-3.5-mini', asr: 'whisper-base', expect: { asr: ['webgpu', 'fp16'] } },
  { name: 'no WebGPU, NPU present: speech on the NPU', report: makeReport({ gpu: false, npu: true }), asr: 'moonshine-tiny', expect: { asr: ['webnn-npu', 'fp16'] } },
  { name: 'test fixtures keep their fp32 weights on WebGPU', report: makeReport(), llm: 'test-llm', asr: 'test-asr', expect: { llm: ['transformers', 'webgpu', 'fp32', 'slm-test/llama-tiny-random'], asr: ['webgpu', 'fp32'] } },
  { name: 'test fixtures keep their fp32 weights on WASM', report: makeReport({ gpu: false }), llm: 'test-llm', asr: 'test-asr', expect: { llm: ['transformers', 'wasm', 'fp32', 'slm-test/llama-tiny-random'], asr: ['wasm', 'fp32'] } },
  { name: 'a WebLLM model id given in full', report: makeReport(), llm: 'gemma-2-2b-it-q4f16_1-MLC', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'gemma-2-2b-it-q4f16_1-MLC'] } },
  { name: 'a Hugging Face repo id on WASM', report: makeReport({ gpu: false }), asr: 'onnx-community/whisper-large-v3-turbo', expect: { asr: ['wasm', 'q8'] } },
];

describe('planPlacement', () => {
  for (const row of rows) {
    it(row.name, () => {
      const plan = planPlacement(row.report, {
        llm: row.llm ? registry.resolve('llm', row.llm) : null,
        asr: row.asr ? registry.resolve('asr', row.asr) : null,
        device: row.device ?? 'auto',
      });
      if (row.expect.llm) {
        expect([plan.llm!.runtime, plan.llm!.backend, plan.llm!.dtype, plan.llm!.modelId]).to.deep.equal(row.expect.llm);
        expect(plan.llm!.reason.length).to.be.greaterThan(10);
      }
      if (row.expect.asr) expect([plan.asr!.backend, plan.asr!.dtype]).to.deep.equal(row.expect.asr);
    });
  }

  it('refuses WebGPU where there is none, naming the way out', () => {
    const error = (() => {
      try {
        planPlacement(makeReport({ gpu: false }), { llm: registry.resolve('llm', 'test-llm'), asr: null, device: 'webgpu' });
      } catch (e) {
        return e;
      }
    })() as SlmError;
    expect(error.code).to.equal('webgpu-unavailable');
    expect(error.message).to.contain('device="auto"');
  });

  it('refuses a WebGPU-only model without WebGPU and suggests one that runs on WASM', () => {
    const error = (() => {
      try {
        planPlacement(makeReport({ gpu: false }), { llm: registry.resolve('llm', 'phi-4-mini'), asr: null, device: 'auto' });
      } catch (e) {
        return e;
      }
    })() as SlmError;
    expect(error.code).to.equal('webgpu-unavailable');
    expect(error.message).to.match(/qwen2\.5-0\.5b|smollm2-360m/);
  });

  it('warns about a software adapter, tight memory and small storage', () => {
    const plan = planPlacement(makeReport({ gpu: { f16: false, fallback: true }, memory: 2, quotaGB: 0.5 }), {
      llm: registry.resolve('llm', 'phi-3.5-mini'),
      asr: registry.resolve('asr', 'whisper-base'),
      device: 'auto',
    });
    expect(plan.warnings.join('\n')).to.match(/software adapter/).and.to.match(/memory/).and.to.match(/storage/);
  });

  it('gives no warnings on a capable machine', () => {
    const plan = planPlacement(makeReport(), { llm: registry.resolve('llm', 'qwen2.5-0.5b'), asr: registry.resolve('asr', 'whisper-base'), device: 'auto' });
    expect(plan.warnings).to.deep.equal([]);
  });
});

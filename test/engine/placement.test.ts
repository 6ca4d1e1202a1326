import { expect } from '@open-wc/testing';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { buildModelRegistry, type WebLlmModelRecord } from '../../src/engine/models/model-registry.js';
import { planPlacement } from '../../src/engine/placement.js';
import type { DevicePreference, DeviceReport, ModelDtype, ModelPreset } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';

const registry = buildModelRegistry(prebuiltAppConfig.model_list as WebLlmModelRecord[]);
const MiB = 2 ** 20;

interface GpuShape {
  f16?: boolean;
  fallback?: boolean;
  /** `maxStorageBufferBindingSize`; 1 GiB unless told. */
  bindingBytes?: number;
}
interface ReportShape {
  gpu?: false | GpuShape;
  npu?: boolean;
  memory?: number | null;
  quotaGB?: number | null;
}

/** A synthetic device: a discrete GPU with shader-f16 and 8 GB, unless told otherwise. */
function makeReport({ gpu = { f16: true }, npu = false, memory = 8, quotaGB = 100 }: ReportShape = {}): DeviceReport {
  const features = gpu ? ['timestamp-query', 'subgroups', ...(gpu.f16 ? ['shader-f16'] : [])] : [];
  const binding = gpu ? (gpu.bindingBytes ?? 1024 * MiB) : 0;
  return {
    webgpu: {
      available: gpu !== false,
      adapter: gpu ? { vendor: gpu.fallback ? 'google' : 'nvidia', architecture: gpu.fallback ? 'swiftshader' : 'ampere', description: '' } : null,
      isFallbackAdapter: gpu ? Boolean(gpu.fallback) : false,
      features,
      shaderF16: features.includes('shader-f16'),
      limits: { maxBufferSize: binding * 2, maxStorageBufferBindingSize: binding },
    },
    webnn: { available: npu, deviceTypes: npu ? ['npu', 'cpu'] : [] },
    wasm: { threads: false, simd: true },
    crossOriginIsolated: false,
    hardwareConcurrency: 8,
    deviceMemoryGB: memory,
    storage: { quotaBytes: quotaGB === null ? null : quotaGB * 1e9, usageBytes: 0, persisted: false },
  };
}

const noF16 = makeReport({ gpu: { f16: false } });
const swiftShader = makeReport({ gpu: { f16: false, fallback: true } });
const noGpu = makeReport({ gpu: false });

type Model = string | ModelPreset;
const llm = (model: Model) => (typeof model === 'string' ? registry.resolve('llm', model) : model);
const asr = (model: Model) => (typeof model === 'string' ? registry.resolve('asr', model) : model);
/** A preset as the engine hands it over when `llm-dtype` / `asr-dtype` is set. */
const withDtype = (preset: ModelPreset, dtype: ModelDtype): ModelPreset => ({ ...preset, dtypes: { webgpu: dtype, wasm: dtype, webnn: dtype } });

interface Row {
  name: string;
  report: DeviceReport;
  llm?: Model;
  asr?: Model;
  device?: DevicePreference;
  expect: {
    llm?: [runtime: string, backend: string, dtype: string, modelId: string];
    asr?: [backend: string, dtype: string, modelId?: string];
  };
}

const rows: Row[] = [
  // WebLLM on WebGPU: the build follows shader-f16.
  { name: 'discrete GPU with shader-f16: the q4f16 build, speech in fp16', report: makeReport(), llm: 'phi-3.5-mini', asr: 'whisper-base', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Phi-3.5-mini-instruct-q4f16_1-MLC'], asr: ['webgpu', 'fp16', 'onnx-community/whisper-base'] } },
  { name: 'device="webgpu" on SwiftShader (no shader-f16): the q4f32 build, speech in fp32', report: swiftShader, llm: 'phi-3.5-mini', asr: 'whisper-base', device: 'webgpu', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'Phi-3.5-mini-instruct-q4f32_1-MLC'], asr: ['webgpu', 'fp32'] } },
  { name: 'a record that requires shader-f16 falls to q4f32 without it', report: noF16, llm: 'smollm2-360m', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'SmolLM2-360M-Instruct-q4f32_1-MLC'] } },
  { name: 'an f16 record that omits required_features still falls to q4f32', report: noF16, llm: 'llama-3.2-1b', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'Llama-3.2-1B-Instruct-q4f32_1-MLC'] } },
  { name: 'Gemma 2 with shader-f16 present keeps its f16 build', report: makeReport(), llm: 'gemma-2-2b', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'gemma-2-2b-it-q4f16_1-MLC'] } },
  { name: 'llm-dtype="q4f32" picks the 32-bit build on an f16 GPU', report: makeReport(), llm: withDtype(llm('qwen2.5-1.5b'), 'q4f32'), expect: { llm: ['webllm', 'webgpu', 'q4f32', 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC'] } },

  // A software adapter (SwiftShader) is slower than WASM on the same CPU: auto leaves it alone.
  { name: 'device="auto" on SwiftShader: the ONNX stand-in and speech on WASM', report: swiftShader, llm: 'qwen2.5-0.5b', asr: 'whisper-base', expect: { llm: ['transformers', 'wasm', 'q4', 'onnx-community/Qwen2.5-0.5B-Instruct'], asr: ['wasm', 'q8'] } },
  { name: 'device="auto" on SwiftShader: a Transformers.js LLM and Moonshine on WASM', report: swiftShader, llm: 'test-llm', asr: 'moonshine-tiny', expect: { llm: ['transformers', 'wasm', 'fp32', 'slm-test/llama-tiny-random'], asr: ['wasm', 'q8'] } },
  { name: 'an adapter that names itself SwiftShader without the fallback flag counts as software', report: { ...swiftShader, webgpu: { ...swiftShader.webgpu, isFallbackAdapter: false } }, asr: 'whisper-base', expect: { asr: ['wasm', 'q8'] } },

  // WebLLM without WebGPU: the ONNX stand-in on WASM, or an error.
  { name: 'no WebGPU: a WebLLM preset runs its ONNX stand-in on WASM', report: noGpu, llm: 'qwen2.5-0.5b', asr: 'whisper-base', expect: { llm: ['transformers', 'wasm', 'q4', 'onnx-community/Qwen2.5-0.5B-Instruct'], asr: ['wasm', 'q8'] } },
  { name: 'no WebGPU: the Phi-3.5 stand-in loads the only weights it publishes (q4f16)', report: noGpu, llm: 'phi-3.5-mini', expect: { llm: ['transformers', 'wasm', 'q4f16', 'onnx-community/Phi-3.5-mini-instruct-onnx-web'] } },
  { name: 'no WebGPU: Llama 3.2 1B on WASM', report: noGpu, llm: 'llama-3.2-1b', expect: { llm: ['transformers', 'wasm', 'q4', 'onnx-community/Llama-3.2-1B-Instruct'] } },
  { name: 'f16-only build on a GPU without f16, in auto: the stand-in on WASM', report: noF16, llm: { ...llm('phi-3.5-mini'), modelIdF32: undefined }, expect: { llm: ['transformers', 'wasm', 'q4f16', 'onnx-community/Phi-3.5-mini-instruct-onnx-web'] } },

  // device="wasm" and device="webgpu" are obeyed.
  { name: 'device="wasm" on a GPU machine: everything on WASM', report: makeReport(), llm: 'smollm2-360m', asr: 'whisper-tiny', device: 'wasm', expect: { llm: ['transformers', 'wasm', 'q4', 'HuggingFaceTB/SmolLM2-360M-Instruct'], asr: ['wasm', 'q8', 'onnx-community/whisper-tiny'] } },
  { name: 'device="wasm" with an NPU: speech stays on WASM', report: makeReport({ npu: true }), asr: 'whisper-base', device: 'wasm', expect: { asr: ['wasm', 'q8'] } },
  { name: 'device="webgpu" on a small GPU: speech stays on WebGPU', report: makeReport({ memory: 4, npu: true }), llm: 'qwen2.5-1.5b', asr: 'whisper-base', device: 'webgpu', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC'], asr: ['webgpu', 'fp16'] } },
  { name: 'device="webgpu" on SwiftShader: the q4f32 build', report: swiftShader, llm: 'qwen2.5-0.5b', device: 'webgpu', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'] } },

  // Transformers.js LLMs.
  { name: 'Transformers.js LLM on a GPU with f16: q4f16', report: makeReport(), llm: 'llama-3.2-1b-onnx', expect: { llm: ['transformers', 'webgpu', 'q4f16', 'onnx-community/Llama-3.2-1B-Instruct'] } },
  { name: 'Transformers.js LLM on a GPU without f16: q4', report: noF16, llm: 'qwen2.5-0.5b-onnx', expect: { llm: ['transformers', 'webgpu', 'q4', 'onnx-community/Qwen2.5-0.5B-Instruct'] } },
  { name: 'Transformers.js LLM without WebGPU: q4 on WASM', report: noGpu, llm: 'smollm2-360m-onnx', expect: { llm: ['transformers', 'wasm', 'q4', 'HuggingFaceTB/SmolLM2-360M-Instruct'] } },
  { name: 'llm-dtype="q8" overrides the Transformers.js choice on WASM', report: noGpu, llm: withDtype(llm('qwen2.5-0.5b-onnx'), 'q8'), expect: { llm: ['transformers', 'wasm', 'q8', 'onnx-community/Qwen2.5-0.5B-Instruct'] } },

  // Speech beside the LLM: who gets the GPU.
  { name: '4 GB device with an NPU: speech moves to WebNN', report: makeReport({ memory: 4, npu: true }), llm: 'qwen2.5-1.5b', asr: 'whisper-base', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC'], asr: ['webnn-npu', 'fp16'] } },
  { name: '4 GB device without an NPU: speech moves to WASM', report: makeReport({ memory: 4 }), llm: 'qwen2.5-1.5b', asr: 'whisper-base', expect: { asr: ['wasm', 'q8'] } },
  { name: 'big LLM and speech over half of 8 GB: speech leaves the GPU', report: makeReport({ memory: 8 }), llm: 'phi-4-mini', asr: 'whisper-small', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'Phi-4-mini-instruct-q4f16_1-MLC'], asr: ['wasm', 'q8'] } },
  { name: 'the same pair on 16 GB: both on the GPU', report: makeReport({ memory: 16 }), llm: 'phi-4-mini', asr: 'whisper-small', expect: { asr: ['webgpu', 'fp16'] } },
  { name: 'small LLM on 8 GB: speech stays on the GPU', report: makeReport({ memory: 8 }), llm: 'qwen2.5-0.5b', asr: 'whisper-base', expect: { asr: ['webgpu', 'fp16'] } },
  { name: 'unknown device memory counts as roomy', report: makeReport({ memory: null }), llm: 'phi-3.5-mini', asr: 'whisper-base', expect: { asr: ['webgpu', 'fp16'] } },
  { name: 'a GPU binding under 1 GiB is small: speech leaves it', report: makeReport({ memory: 16, gpu: { f16: true, bindingBytes: 256 * MiB } }), llm: 'smollm2-360m', asr: 'moonshine-tiny', expect: { asr: ['wasm', 'q8', 'onnx-community/moonshine-tiny-ONNX'] } },
  { name: 'an LLM that fell back to WASM leaves the GPU to speech, even on a small device', report: makeReport({ memory: 4, gpu: { f16: false } }), llm: { ...llm('phi-3.5-mini'), modelIdF32: undefined }, asr: 'whisper-base', expect: { llm: ['transformers', 'wasm', 'q4f16', 'onnx-community/Phi-3.5-mini-instruct-onnx-web'], asr: ['webgpu', 'fp32'] } },
  { name: 'no WebGPU, NPU present: speech on the NPU', report: makeReport({ gpu: false, npu: true }), asr: 'moonshine-tiny', expect: { asr: ['webnn-npu', 'fp16'] } },
  { name: 'speech alone on a GPU: WebGPU', report: makeReport({ memory: 2 }), asr: 'distil-whisper-small.en', expect: { asr: ['webgpu', 'fp16', 'onnx-community/distil-small.en'] } },
  { name: 'asr-dtype="fp32" overrides fp16 on WebGPU', report: makeReport(), asr: withDtype(asr('whisper-base'), 'fp32'), expect: { asr: ['webgpu', 'fp32'] } },

  // The random-weight fixtures publish fp32 only.
  { name: 'test fixtures keep fp32 on WebGPU', report: makeReport(), llm: 'test-llm', asr: 'test-asr', expect: { llm: ['transformers', 'webgpu', 'fp32', 'slm-test/llama-tiny-random'], asr: ['webgpu', 'fp32', 'slm-test/whisper-tiny-random'] } },
  { name: 'test fixtures keep fp32 on WASM', report: noGpu, llm: 'test-llm', asr: 'test-asr', expect: { llm: ['transformers', 'wasm', 'fp32', 'slm-test/llama-tiny-random'], asr: ['wasm', 'fp32'] } },
  { name: 'test fixture speech keeps fp32 on the NPU', report: makeReport({ gpu: false, npu: true }), asr: 'test-asr', expect: { asr: ['webnn-npu', 'fp32'] } },

  // Ids no preset names.
  { name: 'a WebLLM model id given in full', report: makeReport(), llm: 'gemma-2-2b-it-q4f16_1-MLC', expect: { llm: ['webllm', 'webgpu', 'q4f16', 'gemma-2-2b-it-q4f16_1-MLC'] } },
  { name: 'a full WebLLM f16 id on a GPU without f16: its q4f32 sibling', report: noF16, llm: 'Llama-3.1-8B-Instruct-q4f16_1-MLC', expect: { llm: ['webllm', 'webgpu', 'q4f32', 'Llama-3.1-8B-Instruct-q4f32_1-MLC'] } },
  { name: 'an unquantised WebLLM build reads as fp16', report: makeReport(), llm: 'Qwen2.5-0.5B-Instruct-q0f16-MLC', expect: { llm: ['webllm', 'webgpu', 'fp16', 'Qwen2.5-0.5B-Instruct-q0f16-MLC'] } },
  { name: 'an unquantised f16 build without f16: its q0f32 sibling', report: noF16, llm: 'Qwen2.5-0.5B-Instruct-q0f16-MLC', expect: { llm: ['webllm', 'webgpu', 'fp32', 'Qwen2.5-0.5B-Instruct-q0f32-MLC'] } },
  { name: 'a Hugging Face LLM repo on a GPU', report: makeReport(), llm: 'onnx-community/gemma-3-1b-it-ONNX', expect: { llm: ['transformers', 'webgpu', 'q4f16', 'onnx-community/gemma-3-1b-it-ONNX'] } },
  { name: 'a Hugging Face speech repo on WASM', report: noGpu, asr: 'onnx-community/whisper-large-v3-turbo', expect: { asr: ['wasm', 'q8', 'onnx-community/whisper-large-v3-turbo'] } },
];

function plan(report: DeviceReport, models: { llm?: Model; asr?: Model; device?: DevicePreference }) {
  return planPlacement(report, { llm: models.llm ? llm(models.llm) : null, asr: models.asr ? asr(models.asr) : null, device: models.device ?? 'auto' });
}

function planError(report: DeviceReport, models: { llm?: Model; asr?: Model; device?: DevicePreference }): SlmError {
  try {
    plan(report, models);
  } catch (error) {
    expect(error).to.be.instanceOf(SlmError);
    return error as SlmError;
  }
  throw new Error('expected planPlacement to throw');
}

describe('planPlacement', () => {
  for (const row of rows) {
    it(row.name, () => {
      const result = plan(row.report, row);
      if (row.expect.llm) {
        expect([result.llm!.runtime, result.llm!.backend, result.llm!.dtype, result.llm!.modelId]).to.deep.equal(row.expect.llm);
        expect(result.llm!.reason).to.match(/^[A-Z].{15,}\.$/);
      }
      if (row.expect.asr) {
        const [backend, dtype, modelId] = row.expect.asr;
        expect([result.asr!.backend, result.asr!.dtype]).to.deep.equal([backend, dtype]);
        if (modelId) expect(result.asr!.modelId).to.equal(modelId);
        expect(result.asr!.runtime).to.equal('transformers');
        expect(result.asr!.reason).to.match(/^[A-Z].{15,}\.$/);
      }
      if (!row.llm) expect(result.llm).to.equal(null);
      if (!row.asr) expect(result.asr).to.equal(null);
    });
  }

  it('says why a model runs where it does', () => {
    expect(plan(noF16, { llm: 'phi-3.5-mini' }).llm!.reason).to.contain('shader-f16');
    expect(plan(noGpu, { llm: 'qwen2.5-0.5b' }).llm!.reason).to.match(/WASM.*no WebGPU adapter/);
    expect(plan(swiftShader, { asr: 'whisper-base' }).asr!.reason).to.match(/WASM.*software.*slower than WASM/);
    expect(plan(makeReport(), { llm: 'qwen2.5-0.5b', device: 'wasm' }).llm!.reason).to.contain('device="wasm"');
    expect(plan(makeReport({ memory: 4 }), { llm: 'qwen2.5-1.5b', asr: 'whisper-base' }).asr!.reason).to.contain('language model needs most of this GPU');
  });

  describe('refusals', () => {
    it('refuses device="webgpu" where there is none, naming the way out', () => {
      const error = planError(noGpu, { llm: 'test-llm', device: 'webgpu' });
      expect(error.code).to.equal('webgpu-unavailable');
      expect(error.message).to.contain('device="auto"');
    });

    it('refuses a WebGPU-only model without WebGPU and suggests one that runs on WASM', () => {
      const error = planError(noGpu, { llm: 'phi-4-mini' });
      expect(error.code).to.equal('webgpu-unavailable');
      expect(error.message).to.contain('Phi-4 mini').and.to.match(/qwen2\.5-0\.5b|smollm2-360m/);
      expect(error.modelId).to.equal('Phi-4-mini-instruct-q4f16_1-MLC');
    });

    it('refuses a WebGPU-only model on a software adapter under auto, naming device="webgpu"', () => {
      const error = planError(swiftShader, { llm: 'phi-4-mini' });
      expect(error.code).to.equal('webgpu-unavailable');
      expect(error.message).to.contain('software').and.to.contain('device="webgpu"');
    });

    it('refuses a WebGPU-only model under device="wasm" and points back to auto where a GPU exists', () => {
      const error = planError(makeReport(), { llm: 'gemma-2-2b', device: 'wasm' });
      expect(error.code).to.equal('webgpu-unavailable');
      expect(error.message).to.contain('device="wasm"').and.to.contain('device="auto"');
    });

    it('refuses an f16-only WebLLM build on a GPU without shader-f16, naming the feature', () => {
      const error = planError(noF16, { llm: 'Mistral-7B-Instruct-v0.2-q4f16_1-MLC' });
      expect(error.code).to.equal('webgpu-unavailable');
      expect(error.message).to.contain('shader-f16');
    });

    it('refuses the WASM stand-in when device="webgpu" rules WASM out', () => {
      const error = planError(noF16, { llm: { ...llm('phi-3.5-mini'), modelIdF32: undefined }, device: 'webgpu' });
      expect(error.code).to.equal('webgpu-unavailable');
      expect(error.message).to.contain('device="auto" to run its ONNX build on WASM');
    });
  });

  describe('warnings', () => {
    it('warns about a software adapter, tight memory and small storage', () => {
      const { warnings } = plan(makeReport({ gpu: { f16: false, fallback: true }, memory: 2, quotaGB: 0.5 }), { llm: 'phi-3.5-mini', asr: 'whisper-base', device: 'webgpu' });
      expect(warnings).to.have.length(3);
      expect(warnings.join('\n')).to.match(/software adapter/).and.to.match(/4\.0 GB of memory/).and.to.match(/storage/);
    });

    it('does not mention the software adapter when nothing runs on it', () => {
      for (const device of ['wasm', 'auto'] as const) {
        const { warnings } = plan(swiftShader, { llm: 'qwen2.5-0.5b', asr: 'whisper-base', device });
        expect(warnings.join('\n'), device).to.not.match(/software adapter/);
      }
    });

    it('warns that a full-size WebLLM model may not fit a GPU with small buffer bindings', () => {
      const smallBindings = makeReport({ gpu: { f16: true, bindingBytes: 256 * MiB } });
      expect(plan(smallBindings, { llm: 'phi-3.5-mini' }).warnings.join('\n')).to.match(/256 MB per buffer/);
      // SmolLM2's records are marked low_resource_required: built for such GPUs.
      expect(plan(smallBindings, { llm: 'smollm2-360m' }).warnings).to.deep.equal([]);
    });

    it('warns that a large model on the CPU will be slow', () => {
      expect(plan(noGpu, { llm: 'phi-3.5-mini' }).warnings.join('\n')).to.match(/few tokens a second/);
      expect(plan(noGpu, { llm: 'qwen2.5-0.5b' }).warnings).to.deep.equal([]);
    });

    it('gives no warnings on a capable machine, or where quota and memory are unknown', () => {
      expect(plan(makeReport(), { llm: 'qwen2.5-0.5b', asr: 'whisper-base' }).warnings).to.deep.equal([]);
      expect(plan(makeReport({ memory: null, quotaGB: null }), { llm: 'phi-4-mini', asr: 'whisper-small' }).warnings).to.deep.equal([]);
    });
  });

  it('is pure: the same input gives the same plan and is left untouched', () => {
    const report = makeReport({ memory: 4, npu: true });
    const request = { llm: llm('phi-3.5-mini'), asr: asr('whisper-base'), device: 'auto' as const };
    const before = JSON.stringify({ report, request });
    const first = planPlacement(report, request);
    expect(planPlacement(report, request)).to.deep.equal(first);
    expect(JSON.stringify({ report, request })).to.equal(before);
  });
});

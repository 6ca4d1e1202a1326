import { SlmError } from '../errors/slm-error.js';
import type { ComputeBackend, DeviceReport, ModelDtype, ModelPlacement, ModelPreset, PlacementPlan, PlacementRequest } from './types.js';

const GB = 1e9;

/**
 * Where and in which weight format each model runs on this device. Pure: the same report
 * and request always give the same plan, which is what the table tests check.
 */
export function planPlacement(report: DeviceReport, request: PlacementRequest): PlacementPlan {
  const gpu = report.webgpu.available && request.device !== 'wasm';
  if (request.device === 'webgpu' && !report.webgpu.available) {
    throw new SlmError(
      'webgpu-unavailable',
      'WebGPU was asked for (device="webgpu"), but this browser offers no WebGPU adapter. Use device="auto" to fall back to WASM, or device="wasm".',
    );
  }
  const warnings: string[] = [];
  const llm = request.llm ? placeLlm(request.llm, report, gpu) : null;
  const asr = request.asr ? placeAsr(request.asr, report, gpu, llm) : null;

  if (report.webgpu.isFallbackAdapter && (llm?.backend === 'webgpu' || asr?.backend === 'webgpu')) {
    warnings.push('WebGPU runs on a software adapter (SwiftShader); expect it to be slow.');
  }
  const memory = report.deviceMemoryGB;
  const need = (llm?.preset.memoryBytes ?? 0) + (asr?.preset.memoryBytes ?? 0);
  if (memory !== null && need > memory * GB * 0.75) {
    warnings.push(`The models need about ${(need / GB).toFixed(1)} GB of memory and this device reports ${memory} GB; a smaller model will be steadier.`);
  }
  const download = (llm?.preset.downloadBytes ?? 0) + (asr?.preset.downloadBytes ?? 0);
  const free = report.storage.quotaBytes === null ? null : report.storage.quotaBytes - (report.storage.usageBytes ?? 0);
  if (free !== null && download > free) {
    warnings.push(`The downloads (${(download / GB).toFixed(1)} GB) exceed the storage this site may use (${(free / GB).toFixed(1)} GB); they will be fetched again on every visit.`);
  }
  return { llm, asr, warnings };
}

function placeLlm(preset: ModelPreset, report: DeviceReport, gpu: boolean): ModelPlacement {
  if (preset.runtime === 'webllm') {
    if (gpu) {
      // q4f16 halves activations' memory and bandwidth, but needs shader-f16; q4f32 runs everywhere.
      const f16Usable = report.webgpu.shaderF16 && (preset.requiredFeatures ?? []).every((f) => report.webgpu.features.includes(f));
      const useF16 = f16Usable || !preset.modelIdF32;
      if (useF16 && !report.webgpu.shaderF16 && (preset.requiredFeatures ?? []).includes('shader-f16')) {
        throw new SlmError('webgpu-unavailable', `${preset.label} needs the WebGPU feature shader-f16, which this GPU lacks, and has no q4f32 build.`, { modelId: preset.modelId });
      }
      return {
        kind: 'llm',
        preset,
        runtime: 'webllm',
        backend: 'webgpu',
        dtype: useF16 ? 'q4f16' : 'q4f32',
        modelId: useF16 ? preset.modelId : preset.modelIdF32!,
        reason: useF16
          ? 'WebLLM on WebGPU with 4-bit weights and 16-bit activations (the GPU supports shader-f16).'
          : 'WebLLM on WebGPU with 4-bit weights and 32-bit activations (the GPU has no shader-f16).',
      };
    }
    if (!preset.fallbackModelId) {
      throw new SlmError(
        'webgpu-unavailable',
        `${preset.label} runs only on WebGPU, which is not available here. Choose a model that also runs on WASM, such as qwen2.5-0.5b or smollm2-360m.`,
        { modelId: preset.modelId },
      );
    }
    return {
      kind: 'llm',
      preset,
      runtime: 'transformers',
      backend: 'wasm',
      dtype: preset.dtypes?.wasm ?? 'q4',
      modelId: preset.fallbackModelId,
      reason: 'No WebGPU here, so the ONNX build of the same model runs on WASM with Transformers.js (slower).',
    };
  }
  const backend: ComputeBackend = gpu ? 'webgpu' : 'wasm';
  const dtype: ModelDtype = preset.dtypes?.[backend === 'webgpu' ? 'webgpu' : 'wasm'] ?? (gpu ? (report.webgpu.shaderF16 ? 'q4f16' : 'q4') : 'q4');
  return {
    kind: 'llm',
    preset,
    runtime: 'transformers',
    backend,
    dtype,
    modelId: preset.modelId,
    reason: gpu ? 'Transformers.js on WebGPU.' : 'Transformers.js on WASM: this browser offers no WebGPU, or WASM was asked for.',
  };
}

/**
 * A GPU is "small" for the pair when the device reports 4 GB or less, or when the LLM and
 * the speech model together would need more than half of what it reports (integrated GPUs
 * share that memory with everything else). Speech then leaves the GPU to the LLM.
 */
function gpuIsSmall(report: DeviceReport, llm: ModelPlacement, asr: ModelPreset): boolean {
  const memory = report.deviceMemoryGB;
  if (memory === null) return false;
  return memory <= 4 || llm.preset.memoryBytes + asr.memoryBytes > (memory * GB) / 2;
}

function placeAsr(preset: ModelPreset, report: DeviceReport, gpu: boolean, llm: ModelPlacement | null): ModelPlacement {
  const npu = report.webnn.deviceTypes.includes('npu');
  const base = { kind: 'asr' as const, preset, runtime: 'transformers' as const, modelId: preset.modelId };
  const offGpu = (why: string): ModelPlacement =>
    npu
      ? { ...base, backend: 'webnn-npu', dtype: preset.dtypes?.webnn ?? 'fp16', reason: `${why} Speech runs on the NPU through WebNN.` }
      : { ...base, backend: 'wasm', dtype: preset.dtypes?.wasm ?? 'q8', reason: `${why} Speech runs on WASM.` };

  if (gpu && llm?.backend === 'webgpu' && gpuIsSmall(report, llm, preset)) {
    return offGpu('The language model needs most of this GPU.');
  }
  if (gpu) {
    return {
      ...base,
      backend: 'webgpu',
      dtype: preset.dtypes?.webgpu ?? (report.webgpu.shaderF16 ? 'fp16' : 'fp32'),
      reason: 'Speech runs on WebGPU.',
    };
  }
  return offGpu('No WebGPU here (or WASM was asked for).');
}

import { SlmError } from '../errors/slm-error.js';
import type { ComputeBackend, DevicePreference, DeviceReport, ModelDtype, ModelPlacement, ModelPreset, PlacementPlan, PlacementRequest } from './types.js';
import { isSoftwareAdapter } from './software-adapter.js';

const GB = 1e9;
const GIB = 2 ** 30;

/**
 * WebLLM warns below a 1 GiB storage-buffer binding: its full-size models bind buffers that
 * large, and only the records marked `low_resource_required` are built to fit under it.
 * GPUs that offer less are phone- and low-end-class, which is also why the planner treats
 * them as small.
 */
const WEBLLM_BINDING_BYTES = GIB;

/** Past this, a language model on the CPU answers at a few tokens a second at best. */
const SLOW_ON_WASM_BYTES = 2.5 * GB;

/** Presets that run on WASM too, named in advice when a model cannot run here. */
const WASM_FRIENDLY_LLMS = 'qwen2.5-0.5b or smollm2-360m';

/**
 * Where and in which weight format each model runs on this device. Pure: the same report
 * and request always give the same plan, which is what the table tests check.
 *
 * `device="auto"` chooses per model; `device="webgpu"` and `device="wasm"` are obeyed for
 * every model, so speech never moves to the NPU or off the GPU against the page's word.
 */
export function planPlacement(report: DeviceReport, request: PlacementRequest): PlacementPlan {
  if (request.device === 'webgpu' && !report.webgpu.available) {
    throw new SlmError(
      'webgpu-unavailable',
      'WebGPU was asked for (device="webgpu"), but this browser offers no WebGPU adapter. Use device="auto" to fall back to WASM, or device="wasm".',
    );
  }
  const llm = request.llm ? placeLlm(request.llm, report, request.device) : null;
  const asr = request.asr ? placeAsr(request.asr, report, request.device, llm) : null;
  const plan: PlacementPlan = { llm, asr, warnings: warningsFor(report, llm, asr) };
  if (request.embed) plan.embed = placeEmbed(request.embed);
  return plan;
}

/**
 * A sentence embedder is small enough that the CPU answers in milliseconds, so it stays on
 * WASM whatever the device, and the GPU stays free for the language model.
 */
function placeEmbed(preset: ModelPreset): ModelPlacement {
  return {
    kind: 'embed',
    preset,
    runtime: 'transformers',
    backend: 'wasm',
    dtype: preset.dtypes?.wasm ?? 'fp32',
    modelId: preset.modelId,
    reason: 'The embedding model runs on the CPU through WASM: it answers in milliseconds there and leaves the GPU to the language model.',
  };
}

/**
 * `device="auto"` leaves a software adapter (SwiftShader, or any the browser marks as its
 * fallback) alone: it runs WebGPU on the same CPU cores as WASM, through a GPU emulator, and
 * every model measured was slower on it: the fixture LLM 1.4×, the fixture Whisper 11×, a
 * Moonshine-sized model over 4× (`npm run bench:latency -- parts=devices`, README).
 * `device="webgpu"` still gets it.
 */
function gpuUsable(report: DeviceReport, device: DevicePreference): boolean {
  if (!report.webgpu.available || device === 'wasm') return false;
  return device === 'webgpu' || !isSoftwareAdapter(report.webgpu);
}

function placeLlm(preset: ModelPreset, report: DeviceReport, device: DevicePreference): ModelPlacement {
  if (preset.runtime === 'webllm') return placeWebLlm(preset, report, device);

  const gpu = gpuUsable(report, device);
  const backend: ComputeBackend = gpu ? 'webgpu' : 'wasm';
  // q4f16 halves activation memory and bandwidth but needs shader-f16; q4 runs everywhere.
  const chosen: ModelDtype = gpu && report.webgpu.shaderF16 ? 'q4f16' : 'q4';
  return {
    kind: 'llm',
    preset,
    runtime: 'transformers',
    backend,
    dtype: preset.dtypes?.[gpu ? 'webgpu' : 'wasm'] ?? chosen,
    modelId: preset.modelId,
    reason: gpu ? 'Transformers.js runs it on WebGPU.' : `Transformers.js runs it on the CPU through WASM, because ${whyNoGpu(device, report)}.`,
  };
}

function placeWebLlm(preset: ModelPreset, report: DeviceReport, device: DevicePreference): ModelPlacement {
  const gpu = gpuUsable(report, device);
  const variant = gpu ? webLlmVariant(preset, report) : null;
  if (variant) {
    const dtype = webLlmDtype(variant);
    const why =
      variant === preset.modelId
        ? ''
        : forcesF32(preset)
          ? ', because the 32-bit build was asked for'
          : `, because this GPU lacks what the 16-bit build needs (${missingFeatures(preset, report).join(', ')})`;
    return { kind: 'llm', preset, runtime: 'webllm', backend: 'webgpu', dtype, modelId: variant, reason: `WebLLM runs it on WebGPU as its ${dtype} build${why}.` };
  }
  const why = gpu ? `this GPU lacks WebGPU features its build needs (${missingFeatures(preset, report).join(', ')})` : whyNoGpu(device, report);
  // The stand-in runs on WASM, which device="webgpu" rules out.
  if (preset.fallbackModelId && device !== 'webgpu') {
    return {
      kind: 'llm',
      preset,
      runtime: 'transformers',
      backend: 'wasm',
      dtype: preset.dtypes?.wasm ?? 'q4',
      modelId: preset.fallbackModelId,
      reason: `Its ONNX build runs on the CPU through WASM with Transformers.js (slower), because ${why}.`,
    };
  }
  const ways = [`a model that also runs on WASM, such as ${WASM_FRIENDLY_LLMS}`];
  if (device === 'wasm' && report.webgpu.available && !isSoftwareAdapter(report.webgpu)) ways.push('device="auto" to run it on WebGPU');
  if (device === 'auto' && isSoftwareAdapter(report.webgpu)) ways.push('device="webgpu" to run it on the software adapter anyway (slowly)');
  if (device === 'webgpu' && preset.fallbackModelId) ways.push('device="auto" to run its ONNX build on WASM');
  throw new SlmError('webgpu-unavailable', `${preset.label} runs only through WebLLM on WebGPU, and ${why}. Choose ${ways.join(', or ')}.`, {
    modelId: preset.modelId,
  });
}

/**
 * The WebLLM build this GPU can run: the preferred (usually q4f16) build where its features
 * are present, else the q4f32 build, else none. `dtypes.webgpu = 'q4f32'` (the `llm-dtype`
 * attribute) forces the 32-bit build, for drivers whose f16 path misbehaves.
 */
function webLlmVariant(preset: ModelPreset, report: DeviceReport): string | null {
  if (forcesF32(preset) && preset.modelIdF32) return preset.modelIdF32;
  if (missingFeatures(preset, report).length === 0) return preset.modelId;
  return preset.modelIdF32 ?? null;
}

function forcesF32(preset: ModelPreset): boolean {
  return preset.dtypes?.webgpu === 'q4f32' || preset.dtypes?.webgpu === 'fp32';
}

/**
 * Features the preferred build needs and this GPU lacks. WebLLM's records do not always list
 * shader-f16 for their f16 builds (Llama-3.2-1B-Instruct-q4f16_1-MLC does not), so the id's
 * quantisation code counts too.
 */
function missingFeatures(preset: ModelPreset, report: DeviceReport): string[] {
  const needed = new Set(preset.requiredFeatures ?? []);
  if (/-q\d+f16(_\d+)?-MLC/.test(preset.modelId)) needed.add('shader-f16');
  return [...needed].filter((feature) => !report.webgpu.features.includes(feature));
}

/** The nearest ModelDtype for a WebLLM build: q0 builds are unquantised, the rest 4-bit or so. */
function webLlmDtype(modelId: string): ModelDtype {
  const code = /-q(\d+)f(16|32)(_\d+)?-MLC/.exec(modelId);
  if (!code) return 'q4f32';
  if (code[1] === '0') return code[2] === '16' ? 'fp16' : 'fp32';
  return code[2] === '16' ? 'q4f16' : 'q4f32';
}

/**
 * A GPU is "small" when it cannot comfortably hold the language model and the speech model
 * at once, so speech leaves it to the language model, which has nowhere else to run fast:
 * - the device reports 4 GB of memory or less: its GPU is integrated and shares those few
 *   GB with the OS and the browser;
 * - the adapter binds less than 1 GiB per storage buffer: a phone- or low-end-class GPU;
 * - the two models together need more than half the reported memory. Browsers expose no
 *   GPU memory figure; integrated GPUs may use about half of system memory (Windows' shared
 *   GPU memory default), and a discrete GPU with more is the case this rule gets wrong,
 *   costing only speed. `deviceMemory` is coarse (rounded, capped), so an unknown value
 *   counts as roomy rather than guessing.
 */
function gpuIsSmall(report: DeviceReport, llm: ModelPlacement, asr: ModelPreset): boolean {
  const memory = report.deviceMemoryGB;
  if (memory !== null && memory <= 4) return true;
  if (report.webgpu.limits.maxStorageBufferBindingSize < WEBLLM_BINDING_BYTES) return true;
  return memory !== null && llm.preset.memoryBytes + asr.memoryBytes > (memory * GB) / 2;
}

function placeAsr(preset: ModelPreset, report: DeviceReport, device: DevicePreference, llm: ModelPlacement | null): ModelPlacement {
  const base = { kind: 'asr' as const, preset, runtime: 'transformers' as const, modelId: preset.modelId };
  const onWasm = (why: string): ModelPlacement => ({ ...base, backend: 'wasm', dtype: preset.dtypes?.wasm ?? 'q8', reason: `Speech runs on the CPU through WASM, because ${why}.` });
  // NPUs run 16-bit arithmetic natively, and WebNN has no int8 ops for q8's dynamic quantisation.
  const onNpu = (why: string): ModelPlacement => ({ ...base, backend: 'webnn-npu', dtype: preset.dtypes?.webnn ?? 'fp16', reason: `Speech runs on the NPU through WebNN, because ${why}.` });
  const npu = report.webnn.deviceTypes.includes('npu') && device === 'auto';

  if (!gpuUsable(report, device)) {
    const why = whyNoGpu(device, report);
    return npu ? onNpu(why) : onWasm(why);
  }
  if (device === 'auto' && llm?.backend === 'webgpu' && gpuIsSmall(report, llm, preset)) {
    const why = 'the language model needs most of this GPU';
    return npu ? onNpu(why) : onWasm(why);
  }
  return {
    ...base,
    backend: 'webgpu',
    dtype: preset.dtypes?.webgpu ?? (report.webgpu.shaderF16 ? 'fp16' : 'fp32'),
    reason: report.webgpu.shaderF16 ? 'Speech runs on WebGPU with 16-bit weights.' : 'Speech runs on WebGPU with 32-bit weights, because this GPU lacks shader-f16.',
  };
}

function whyNoGpu(device: DevicePreference, report: DeviceReport): string {
  if (device === 'wasm') return 'device="wasm" was asked for';
  if (report.webgpu.available) return 'this browser’s WebGPU adapter is a software one (SwiftShader or the like), slower than WASM on the same CPU';
  return 'this browser offers no WebGPU adapter';
}

function warningsFor(report: DeviceReport, llm: ModelPlacement | null, asr: ModelPlacement | null): string[] {
  const warnings: string[] = [];
  const placed = [llm, asr].filter((p): p is ModelPlacement => p !== null);

  if (isSoftwareAdapter(report.webgpu) && placed.some((p) => p.backend === 'webgpu')) {
    warnings.push('WebGPU runs on a software adapter (SwiftShader or the like); expect it to be slow.');
  }
  if (llm?.runtime === 'webllm' && !llm.preset.lowResource && report.webgpu.limits.maxStorageBufferBindingSize < WEBLLM_BINDING_BYTES) {
    const limitMB = Math.round(report.webgpu.limits.maxStorageBufferBindingSize / 2 ** 20);
    warnings.push(`This GPU binds at most ${limitMB} MB per buffer, less than ${llm.preset.label} is built for; it may fail to load, and ${WASM_FRIENDLY_LLMS} are made for such GPUs.`);
  }
  if (llm?.backend === 'wasm' && llm.preset.memoryBytes > SLOW_ON_WASM_BYTES) {
    warnings.push(`${llm.preset.label} on the CPU will answer at a few tokens a second at best; ${WASM_FRIENDLY_LLMS} answer faster there.`);
  }
  const memory = report.deviceMemoryGB;
  const need = placed.reduce((sum, p) => sum + p.preset.memoryBytes, 0);
  // Three quarters: the OS, the browser and the page need the rest.
  if (memory !== null && need > memory * GB * 0.75) {
    warnings.push(`The models need about ${(need / GB).toFixed(1)} GB of memory and this device reports ${memory} GB; a smaller model will be steadier.`);
  }
  const download = placed.reduce((sum, p) => sum + p.preset.downloadBytes, 0);
  const { quotaBytes, usageBytes } = report.storage;
  const free = quotaBytes === null ? null : quotaBytes - (usageBytes ?? 0);
  if (free !== null && download > free) {
    warnings.push(
      `The downloads (${(download / GB).toFixed(1)} GB) exceed the storage this site may use (${(Math.max(free, 0) / GB).toFixed(1)} GB); they cannot be kept for offline use and will be fetched again on every visit.`,
    );
  }
  return warnings;
}

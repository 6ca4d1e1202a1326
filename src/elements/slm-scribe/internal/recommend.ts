import { planPlacement } from '../../../engine/placement.js';
import { isSoftwareAdapter } from '../../../engine/software-adapter.js';
import type { ModelRegistry } from '../../../engine/models/model-registry.js';
import type { CachedModel } from '../../../engine/model-cache.js';
import type { ComputeBackend, DevicePreference, DeviceReport, ModelPreset } from '../../../engine/types.js';

/** One model the setup card proposes: what it is, how big, where it runs and why. */
export interface ModelRecommendation {
  role: 'asr' | 'llm';
  preset: ModelPreset;
  /** The preset id to set on the provider (`asr`, `llm`). */
  id: string;
  backend: ComputeBackend | null;
  /** Why it runs there (the planner's sentence), or why it cannot run here. */
  reason: string;
  downloadBytes: number;
  /** Already in Cache Storage: loads without the network. */
  cached: boolean;
  /** Set when the planner refuses this model on this device. */
  error?: string;
  /** The host of the server the model runs on (`llm-endpoint`): text is sent there. */
  remoteHost?: string;
}

export interface RecommendRequest {
  llm: string | null;
  asr: string | null;
  device: DevicePreference;
  /** The language model's server (`llm-endpoint`), if it runs on one. */
  llmEndpoint?: string | null;
}

/**
 * The models to suggest on this device when the page names none: Whisper base for speech
 * (it runs everywhere), and the language model the GPU can carry, or a small one the CPU can.
 */
export function defaultModels(report: DeviceReport): { llm: string; asr: string } {
  // A software adapter (SwiftShader, llvmpipe) is no GPU: the larger model would crawl on it.
  const gpu = report.webgpu.available && !isSoftwareAdapter(report.webgpu);
  const roomy = (report.deviceMemoryGB ?? 8) >= 8;
  return { asr: 'whisper-base', llm: gpu && roomy ? 'qwen2.5-1.5b' : 'qwen2.5-0.5b' };
}

/** The speech and language models with their size, cache state and placement on this device. */
export function recommendModels(report: DeviceReport, registry: ModelRegistry, cached: CachedModel[], request: RecommendRequest): ModelRecommendation[] {
  const chosen = { ...defaultModels(report), ...Object.fromEntries(Object.entries({ llm: request.llm, asr: request.asr }).filter(([, v]) => v)) };
  return (['asr', 'llm'] as const).map((role) => {
    const id = chosen[role]!;
    if (role === 'llm' && request.llmEndpoint) return remoteRecommendation(id, request.llmEndpoint);
    const preset = registry.resolve(role, id);
    try {
      const placement = planPlacement(report, { llm: role === 'llm' ? preset : null, asr: role === 'asr' ? preset : null, device: request.device })[role]!;
      // A stand-in build (WASM instead of WebLLM) has its own size.
      const build = registry.presets(role).find((p) => p.modelId === placement.modelId) ?? preset;
      return {
        role,
        preset,
        id,
        backend: placement.backend,
        reason: placement.reason,
        downloadBytes: build.downloadBytes || preset.downloadBytes,
        cached: cached.some((m) => m.modelId === placement.modelId),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { role, preset, id, backend: null, reason, downloadBytes: preset.downloadBytes, cached: false, error: reason };
    }
  });
}

/** A language model on the clinic's server: nothing to download, and the text it reads leaves the device. */
function remoteRecommendation(id: string, endpoint: string): ModelRecommendation {
  const remoteHost = new URL(endpoint).host;
  const preset: ModelPreset = { id, kind: 'llm', label: id, runtime: 'openai', modelId: id, downloadBytes: 0, memoryBytes: 0, license: 'See the server', goodFor: 'A model on the clinic’s own server.' };
  const reason = 'The transcript, the note and chat messages are sent there; nothing is downloaded.';
  return { role: 'llm', preset, id, backend: null, reason, downloadBytes: 0, cached: true, remoteHost };
}

/** Mbit/s the estimate assumes when the browser does not say (a modest clinic line). */
const ASSUMED_MBPS = 20;

/** The download time of `bytes` on this connection, from `navigator.connection` where it exists. */
export function estimateDownload(bytes: number, connection: { downlink?: number } | undefined = (navigator as Navigator & { connection?: { downlink?: number } }).connection): { seconds: number; mbps: number; measured: boolean } {
  const downlink = connection?.downlink;
  const measured = typeof downlink === 'number' && downlink > 0;
  const mbps = measured ? downlink : ASSUMED_MBPS;
  return { seconds: (bytes * 8) / (mbps * 1e6), mbps, measured };
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

/** Where a backend is, in a clinician's words. */
export function describeBackend(backend: ComputeBackend | null, remoteHost?: string | null): string {
  if (remoteHost) return `on the server ${remoteHost}`;
  if (backend === null) return 'cannot run here';
  if (backend === 'server') return 'on a server';
  if (backend === 'webgpu') return 'on the graphics processor (WebGPU)';
  if (backend === 'wasm') return 'on the processor (WASM)';
  return `on the ${backend.replace('webnn-', '').toUpperCase()} (WebNN)`;
}

import type { DeviceReport, LoadProgress } from '../../engine/types.js';
import { isSoftwareAdapter } from '../../engine/software-adapter.js';

/** `1.2 MB`, `830 kB`: sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const units = ['B', 'kB', 'MB', 'GB'];
  const exponent = Math.min(units.length - 1, Math.floor(Math.log10(bytes) / 3));
  const value = bytes / 1000 ** exponent;
  return `${value >= 100 || exponent === 0 ? Math.round(value) : value.toFixed(1)} ${units[exponent]}`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 1) return 'less than a second left';
  if (seconds < 90) return `${Math.round(seconds)} s left`;
  return `${Math.round(seconds / 60)} min left`;
}

const phaseLabel: Record<LoadProgress['phase'], string> = {
  download: 'Downloading',
  compile: 'Preparing',
  warmup: 'Warming up',
  ready: 'Ready',
};

export function describeProgress(progress: LoadProgress): string {
  // A host that does not answer is no download in progress: say what the load waits for.
  if (progress.retrying) return `Waiting for the model host · retry ${progress.retrying.attempt} of ${progress.retrying.of}`;
  const parts = [phaseLabel[progress.phase]];
  if (progress.totalBytes > 0 && progress.phase === 'download') {
    parts.push(`${formatBytes(progress.loadedBytes)} of ${formatBytes(progress.totalBytes)}`);
  }
  const eta = formatEta(progress.etaSeconds);
  if (eta) parts.push(eta);
  return parts.join(' · ');
}

/** One line a person can check their machine against: what accelerates the models. */
export function describeDevice(report: DeviceReport): string {
  const gpu = report.webgpu.available
    ? `WebGPU (${report.webgpu.adapter?.architecture || report.webgpu.adapter?.vendor || 'adapter'}${isSoftwareAdapter(report.webgpu) ? ', software' : ''})`
    : 'no WebGPU';
  const f16 = report.webgpu.available ? (report.webgpu.shaderF16 ? 'shader-f16' : 'no shader-f16') : null;
  const webnn = report.webnn.available ? `WebNN ${report.webnn.deviceTypes.join('/') || 'present'}` : 'no WebNN';
  const threads = report.wasm.threads ? 'WASM threads' : 'WASM single-threaded';
  const memory = report.deviceMemoryGB === null ? null : `${report.deviceMemoryGB} GB memory`;
  return [gpu, f16, webnn, threads, memory].filter(Boolean).join(' · ');
}

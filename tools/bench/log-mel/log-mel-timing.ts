/**
 * The log-mel benchmark itself, shared by the browser page and the dawn.node script: one
 * 30 s window through Transformers.js's `WhisperFeatureExtractor` (CPU) and through the WGSL
 * front end (upload, three passes, read back: what a transcription waits for), each timed
 * over several rounds after a warm-up, and their largest difference.
 */
import { LogMelGpu } from '../../../src/engine/log-mel/log-mel-gpu.js';

type Transformers = typeof import('@huggingface/transformers');
interface CpuExtractor {
  (audio: Float32Array): Promise<{ input_features: { data: Float32Array } }>;
  config: { n_fft: number; hop_length: number; n_samples: number; nb_max_frames: number; mel_filters: number[][] };
  window: Float64Array;
}

export interface LogMelBenchResult {
  melBands: number;
  cpuMsPerWindow: number;
  gpuMsPerWindow: number;
  speedup: number;
  maxAbsDifference: number;
  cpuRounds: number;
  gpuRounds: number;
}

const WHISPER = { feature_extractor_type: 'WhisperFeatureExtractor', hop_length: 160, n_fft: 400, n_samples: 480_000, nb_max_frames: 3000, chunk_length: 30, sampling_rate: 16_000, padding_value: 0 };

/** 30 s of speech-like sound (harmonics under a moving pitch, with noise); speed does not depend on content. */
function window30s(): Float32Array {
  let seed = 11;
  return Float32Array.from({ length: 480_000 }, (_, i) => {
    const t = i / 16_000;
    seed = (seed * 16807) % 2147483647;
    const pitch = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
    const voice = [1, 2, 3, 5].reduce((sum, h) => sum + Math.sin(2 * Math.PI * pitch * h * t) / h, 0);
    return 0.2 * voice * (0.5 + 0.5 * Math.sin(2 * Math.PI * 2 * t)) + 0.01 * (seed / 2147483647 - 0.5);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(rounds: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function benchLogMel(library: Transformers, device: GPUDevice, melBands: number, rounds: { cpu: number; gpu: number }): Promise<LogMelBenchResult> {
  const cpu = new (library as unknown as { WhisperFeatureExtractor: new (c: unknown) => CpuExtractor }).WhisperFeatureExtractor({ ...WHISPER, feature_size: melBands });
  const gpu = await LogMelGpu.create(device, {
    nFft: 400,
    hop: 160,
    nFrames: 3000,
    nSamples: 480_000,
    nMels: melBands,
    window: cpu.window,
    melFilters: cpu.config.mel_filters,
  });
  try {
    const audio = window30s();
    const expected = (await cpu(audio)).input_features.data;
    const actual = await gpu.compute(audio);
    let maxAbsDifference = 0;
    for (let i = 0; i < actual.length; i++) maxAbsDifference = Math.max(maxAbsDifference, Math.abs(actual[i] - expected[i]));
    const cpuMsPerWindow = await timed(rounds.cpu, () => cpu(audio));
    const gpuMsPerWindow = await timed(rounds.gpu, () => gpu.compute(audio));
    return { melBands, cpuMsPerWindow, gpuMsPerWindow, speedup: cpuMsPerWindow / gpuMsPerWindow, maxAbsDifference, cpuRounds: rounds.cpu, gpuRounds: rounds.gpu };
  } finally {
    gpu.destroy();
  }
}

export const describeResult = (r: LogMelBenchResult) =>
  `log-mel ${r.melBands} bands, ms per 30 s window (median): CPU extractor ${r.cpuMsPerWindow.toFixed(2)} (${r.cpuRounds} rounds), ` +
  `WGSL ${r.gpuMsPerWindow.toFixed(2)} (${r.gpuRounds} rounds), CPU/WGSL ${r.speedup.toFixed(2)}×, max abs difference ${r.maxAbsDifference.toExponential(2)}`;

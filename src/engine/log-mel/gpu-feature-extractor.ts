import { isSoftwareAdapter } from '../software-adapter.js';
import { LogMelGpu } from './log-mel-gpu.js';

type Transformers = typeof import('@huggingface/transformers');

/** The parts of Transformers.js's `WhisperFeatureExtractor` this reads (its config, window and `_call`). */
interface WhisperExtractor {
  constructor: { name: string };
  config: {
    feature_size: number;
    n_fft: number;
    hop_length: number;
    n_samples: number;
    nb_max_frames: number;
    mel_filters: number[][];
  };
  window: Float64Array;
  _call: (audio: unknown, options?: { max_length?: number | null }) => Promise<{ input_features: unknown }>;
}

/** What `useGpuFeatures` did: `gpu` while the WGSL front end serves the calls, `cpu` after a fallback or when it declined. */
export interface GpuFeatures {
  readonly active: () => boolean;
  /** How many feature extractions the GPU served. */
  readonly served: () => number;
  dispose(): void;
}

/**
 * Replaces a Whisper pipeline's feature extractor with the WGSL log-mel front end on its own
 * WebGPU device. The CPU extractor stays underneath: any GPU error (no adapter, a refused
 * shader, a lost device) sends that call and every later one to it, so a transcription never
 * fails because of the front end. Returns null (and changes nothing) when the model is no
 * Whisper, its config is one the shader does not cover, or there is no WebGPU. A software
 * adapter (SwiftShader) is declined unless `software` is set: there the shader takes seconds a
 * window where the CPU extractor takes a fraction of one (see the README's figures).
 */
export async function useGpuFeatures(library: Transformers, processor: unknown, options: { software?: boolean } = {}): Promise<GpuFeatures | null> {
  const extractor = (processor as { feature_extractor?: WhisperExtractor } | undefined)?.feature_extractor;
  if (!extractor || !(extractor instanceof (library as unknown as { WhisperFeatureExtractor: new (...a: never[]) => unknown }).WhisperFeatureExtractor)) return null;
  const { feature_size: nMels, n_fft: nFft, hop_length: hop, n_samples: nSamples, nb_max_frames: maxFrames, mel_filters: melFilters } = extractor.config;
  const nFrames = Math.min(Math.floor(nSamples / hop), maxFrames);
  const shape = { nFft, hop, nFrames, nSamples, nMels };
  if (!melFilters || extractor.window?.length !== nFft || !LogMelGpu.supports(shape)) return null;
  const gpu = globalThis.navigator?.gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  if (!adapter || (!options.software && isSoftwareAdapter(adapter))) return null;
  let front: LogMelGpu | null = null;
  let device: GPUDevice | null = null;
  try {
    device = await adapter.requestDevice();
    front = await LogMelGpu.create(device, { ...shape, window: extractor.window, melFilters });
  } catch (error) {
    device?.destroy();
    console.warn('[slm] The WebGPU log-mel front end is off; features are computed on the CPU.', error);
    return null;
  }
  const cpu = extractor._call.bind(extractor);
  let served = 0;
  extractor._call = async (audio, options = {}) => {
    const plain = options.max_length == null || options.max_length === nSamples;
    if (front && plain && (audio instanceof Float32Array || audio instanceof Float64Array)) {
      try {
        const features = await front.compute(audio instanceof Float32Array ? audio : Float32Array.from(audio));
        served++;
        return { input_features: new library.Tensor('float32', features, [1, nMels, nFrames]) };
      } catch (error) {
        console.warn('[slm] The WebGPU log-mel front end failed; features are computed on the CPU from now on.', error);
        front.destroy();
        front = null;
      }
    }
    return cpu(audio, options);
  };
  return {
    active: () => front !== null,
    served: () => served,
    dispose() {
      front?.destroy();
      front = null;
      device?.destroy();
      extractor._call = cpu;
    },
  };
}

import { expect } from '@open-wc/testing';
import { LogMelGpu } from '../../src/engine/log-mel/log-mel-gpu.js';
import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { configureTransformers } from '../../src/engine/workers/transformers-env.js';
import { loadAudio } from '../support/audio.js';

type Transformers = typeof import('@huggingface/transformers');
interface CpuExtractor {
  (audio: Float32Array): Promise<{ input_features: { data: Float32Array; dims: number[] } }>;
  config: { feature_size: number; n_fft: number; hop_length: number; n_samples: number; nb_max_frames: number; mel_filters: number[][] };
  window: Float64Array;
}

const RATE = 16_000;
const seconds = (s: number, f: (t: number, i: number) => number) => Float32Array.from({ length: Math.round(s * RATE) }, (_, i) => f(i / RATE, i));
/** A fixed-seed generator, so a failure can be replayed. */
const noise = (seed: number) => () => ((seed = (seed * 16807) % 2147483647), seed / 2147483647 - 0.5);

// The reference is Transformers.js's own extractor (float64 FFT on the CPU); the shader runs in f32.
describe('the WGSL log-mel front end on SwiftShader WebGPU', function () {
  // SwiftShader takes seconds per 30 s window (tens under load), the CPU reference about as long again.
  this.timeout(300_000);
  let library: Transformers;
  let device: GPUDevice;
  const fronts: LogMelGpu[] = [];

  before(async () => {
    library = await import('@huggingface/transformers');
    configureTransformers(library, { host: '/', wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false });
    const adapter = await navigator.gpu.requestAdapter();
    device = await adapter!.requestDevice();
  });
  after(() => {
    fronts.forEach((f) => f.destroy());
    device?.destroy();
  });

  async function extractors(melBands: number) {
    const config = await (await fetch('/test/fixtures/models/slm-test/whisper-tiny-random/preprocessor_config.json')).json();
    const cpu = new (library as unknown as { WhisperFeatureExtractor: new (c: unknown) => CpuExtractor }).WhisperFeatureExtractor({ ...config, feature_size: melBands });
    const { n_fft: nFft, hop_length: hop, n_samples: nSamples, nb_max_frames: frames } = cpu.config;
    const nFrames = Math.min(Math.floor(nSamples / hop), frames);
    const gpu = await LogMelGpu.create(device, { nFft, hop, nFrames, nSamples, nMels: melBands, window: cpu.window, melFilters: cpu.config.mel_filters });
    fronts.push(gpu);
    return { cpu, gpu, nFrames };
  }

  async function maxDifference(cpu: CpuExtractor, gpu: LogMelGpu, audio: Float32Array) {
    const expected = (await cpu(audio)).input_features;
    const t0 = performance.now();
    const actual = await gpu.compute(audio);
    console.log(`gpu ${(performance.now() - t0).toFixed(0)} ms`);
    expect(actual.length).to.equal(expected.data.length);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected.data[i]));
    console.log(`max abs difference ${worst.toExponential(2)}`);
    return worst;
  }

  describe('80 bands (Whisper tiny to large-v2)', () => {
    let pair: Awaited<ReturnType<typeof extractors>>;
    before(async () => {
      pair = await extractors(80);
    });
    const random = noise(7);
    const signals: Record<string, () => Promise<Float32Array> | Float32Array> = {
      'jfk.wav': () => loadAudio('/test/fixtures/audio/jfk.wav'),
      'a 440 Hz sine': () => seconds(10, (t) => 0.5 * Math.sin(2 * Math.PI * 440 * t)),
      'a quiet 3 kHz sine': () => seconds(4, (t) => 1e-4 * Math.sin(2 * Math.PI * 3000 * t)),
      'a 30 s chirp': () => seconds(30, (t) => 0.3 * Math.sin(2 * Math.PI * (50 * t + 60 * t * t))),
      'white noise': () => seconds(7, () => random()),
      silence: () => new Float32Array(5 * RATE),
      'a clipped sine': () => seconds(6, (t) => Math.max(-1, Math.min(1, 3 * Math.sin(2 * Math.PI * 200 * t)))),
      'a click in silence': () => seconds(3, (_, i) => (i === 24_000 ? 1 : 0)),
      'audio shorter than a frame': () => seconds(0.01, (t) => Math.sin(2 * Math.PI * 1000 * t)),
      'audio longer than 30 s (cut, as the CPU does)': () => seconds(31, (t) => 0.2 * Math.sin(2 * Math.PI * 700 * t) + 0.05 * random()),
    };
    for (const [name, make] of Object.entries(signals)) {
      it(`matches WhisperFeatureExtractor within 1e-4 on ${name}`, async () => {
        expect(pair.nFrames).to.equal(3000);
        expect(await maxDifference(pair.cpu, pair.gpu, await make())).to.be.below(1e-4);
      });
    }
  });

  it('matches with large-v3’s 128 bands', async () => {
    const { cpu, gpu } = await extractors(128);
    const audio = await loadAudio('/test/fixtures/audio/jfk.wav');
    expect(await maxDifference(cpu, gpu, audio)).to.be.below(1e-4);
  });

  it('serves calls one after another when they overlap', async () => {
    const { cpu, gpu } = await extractors(80);
    const a = seconds(2, (t) => 0.5 * Math.sin(2 * Math.PI * 300 * t));
    const b = seconds(2, (t) => 0.5 * Math.sin(2 * Math.PI * 1200 * t));
    const [fa, fb] = await Promise.all([gpu.compute(a), gpu.compute(b)]);
    const ea = (await cpu(a)).input_features.data;
    const eb = (await cpu(b)).input_features.data;
    expect(Math.abs(fa[40 * 3000 + 50] - ea[40 * 3000 + 50])).to.be.below(1e-4);
    expect(Math.abs(fb[40 * 3000 + 50] - eb[40 * 3000 + 50])).to.be.below(1e-4);
    expect(fa).not.to.deep.equal(fb);
  });
});

import { expect } from '@open-wc/testing';
import { useGpuFeatures } from '../../src/engine/log-mel/gpu-feature-extractor.js';
import { LogMelGpu } from '../../src/engine/log-mel/log-mel-gpu.js';
import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { configureTransformers } from '../../src/engine/workers/transformers-env.js';
import { loadAudio } from '../support/audio.js';
import { modelHostUrl } from '../support/model-host.js';

type Recogniser = ((audio: Float32Array) => Promise<{ text: string }>) & { processor: unknown; dispose(): Promise<void> };

// The fixture Whisper on SwiftShader, its features from the CPU extractor and then from the shader.
describe('Whisper fed by the WGSL front end on SwiftShader WebGPU', () => {
  let recogniser: Recogniser;
  let library: typeof import('@huggingface/transformers');
  let audio: Float32Array;

  before(async () => {
    library = await import('@huggingface/transformers');
    configureTransformers(library, { host: await modelHostUrl(), wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false });
    recogniser = (await library.pipeline('automatic-speech-recognition', 'slm-test/whisper-tiny-random', { device: 'webgpu', dtype: 'fp32' })) as unknown as Recogniser;
    // Three seconds of jfk.wav: the encoder always reads 30 s, and fewer words mean fewer decoder steps on SwiftShader.
    audio = (await loadAudio('/test/fixtures/audio/jfk.wav')).subarray(0, 3 * 16_000);
  });
  after(() => recogniser?.dispose());

  it('declines a software adapter unless asked', async () => {
    expect(await useGpuFeatures(library, recogniser.processor)).to.equal(null);
  });

  it('gives the same tokens as the CPU extractor', async function () {
    this.timeout(600_000);
    let started = performance.now();
    const onCpu = (await recogniser(audio)).text;
    console.log(`CPU features: ${(performance.now() - started).toFixed(0)} ms`);
    const features = await useGpuFeatures(library, recogniser.processor, { software: true });
    try {
      expect(features?.active()).to.equal(true);
      started = performance.now();
      const onGpu = (await recogniser(audio)).text;
      console.log(`GPU features: ${(performance.now() - started).toFixed(0)} ms`);
      expect(features!.served()).to.equal(1);
      // The fixture's vocabulary is bytes, so equal text is equal tokens.
      expect(onCpu.length).to.be.greaterThan(0);
      expect(onGpu).to.equal(onCpu);
    } finally {
      features?.dispose();
    }
  });

  it('falls back to the CPU extractor for good when the GPU fails', async function () {
    this.timeout(600_000);
    const short = audio.subarray(0, 16_000);
    const onCpu = (await recogniser(short)).text;
    const features = await useGpuFeatures(library, recogniser.processor, { software: true });
    const compute = LogMelGpu.prototype.compute;
    LogMelGpu.prototype.compute = () => Promise.reject(new Error('device lost (simulated)'));
    try {
      expect((await recogniser(short)).text).to.equal(onCpu);
      expect(features!.active()).to.equal(false);
      expect(features!.served()).to.equal(0);
    } finally {
      LogMelGpu.prototype.compute = compute;
      features?.dispose();
    }
  });
});

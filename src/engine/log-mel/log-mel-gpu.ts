import { fftRadices, logMelShader, NORMALISE_WORKGROUP, type LogMelShape } from './log-mel-shader.js';

/** What the features are computed with: the numbers of a Whisper preprocessor config, its window and mel filters. */
export interface LogMelConfig extends LogMelShape {
  /** The analysis window, `nFft` long (Transformers.js's periodic Hann). */
  window: ArrayLike<number>;
  /** `nMels` rows of `nFft / 2 + 1` weights (the preprocessor config's `mel_filters`, or the bank computed from it). */
  melFilters: ArrayLike<ArrayLike<number>>;
}

const STORAGE = 0x80; // GPUBufferUsage.STORAGE; the constants are not globals in every worker scope.
const COPY_SRC = 0x04;
const COPY_DST = 0x08;
const MAP_READ = 0x01;
const READ = 0x1; // GPUMapMode.READ

/**
 * Whisper's log-mel spectrogram on a GPUDevice: one 30 s window of 16 kHz audio in, `nMels × nFrames`
 * features out (row-major, as `input_features[0]`), equal to Transformers.js's `WhisperFeatureExtractor` within 1e-4.
 * Buffers are made once; calls are served one after another.
 */
export class LogMelGpu {
  private queue: Promise<unknown> = Promise.resolve();
  private lost = false;

  private constructor(
    private readonly device: GPUDevice,
    readonly config: LogMelConfig,
    private readonly pipelines: { frames: GPUComputePipeline; reduce: GPUComputePipeline; normalise: GPUComputePipeline },
    private readonly buffers: { signal: GPUBuffer; logMel: GPUBuffer; readback: GPUBuffer; owned: GPUBuffer[] },
    private readonly groups: GPUBindGroup[],
  ) {
    void device.lost.then(() => (this.lost = true));
  }

  /** Whether this configuration can run here (an FFT size of radices 2–5, a frame count one dispatch can hold). */
  static supports(config: LogMelShape): boolean {
    return fftRadices(config.nFft) !== null && config.nFrames > 0 && config.nFrames <= 65_535 && config.nSamples > config.nFft / 2;
  }

  /** Compiles the shader and allocates the buffers; throws when the device refuses either. */
  static async create(device: GPUDevice, config: LogMelConfig): Promise<LogMelGpu> {
    if (!LogMelGpu.supports(config)) throw new RangeError(`No GPU log-mel for n_fft ${config.nFft}, ${config.nFrames} frames.`);
    const { nFft, nFrames, nSamples, nMels } = config;
    const bins = Math.floor(nFft / 2) + 1;
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const module = device.createShaderModule({ code: logMelShader(config), label: 'log-mel' });
    const pipeline = (entryPoint: string) => device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint }, label: `log-mel ${entryPoint}` });
    const [frames, reduce, normalise] = await Promise.all([pipeline('frames'), pipeline('reduce'), pipeline('normalise')]);

    const filled = (data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>) => {
      const buffer = device.createBuffer({ size: data.byteLength, usage: STORAGE | COPY_DST });
      device.queue.writeBuffer(buffer, 0, data);
      return buffer;
    };
    // Twiddles W_N^k in f64, rounded once: WGSL's cos/sin would cost the last digits.
    const twiddles = new Float32Array(2 * nFft);
    for (let k = 0; k < nFft; k++) {
      twiddles[2 * k] = Math.cos((2 * Math.PI * k) / nFft);
      twiddles[2 * k + 1] = -Math.sin((2 * Math.PI * k) / nFft);
    }
    // The filter bank is sparse (each band spans a few bins): each band's nonzero range is summed only.
    const weights = new Float32Array(nMels * bins);
    const ranges = new Uint32Array(2 * nMels);
    for (let m = 0; m < nMels; m++) {
      const row = config.melFilters[m];
      let lo = bins;
      let hi = 0;
      for (let k = 0; k < bins; k++) {
        weights[m * bins + k] = row[k];
        if (row[k] !== 0) {
          lo = Math.min(lo, k);
          hi = k + 1;
        }
      }
      ranges.set(lo < hi ? [lo, hi] : [0, 0], 2 * m);
    }
    const signal = device.createBuffer({ size: nSamples * 4, usage: STORAGE | COPY_DST, label: 'log-mel signal' });
    const logMel = device.createBuffer({ size: nMels * nFrames * 4, usage: STORAGE | COPY_SRC, label: 'log-mel features' });
    const frameMax = device.createBuffer({ size: (nFrames + 1) * 4, usage: STORAGE });
    const readback = device.createBuffer({ size: nMels * nFrames * 4, usage: MAP_READ | COPY_DST, label: 'log-mel readback' });
    const window = filled(Float32Array.from(config.window));
    const twiddle = filled(twiddles);
    const melWeights = filled(weights);
    const melRanges = filled(ranges);
    const entries = (pipeline: GPUComputePipeline, bindings: Array<[number, GPUBuffer]>) =>
      device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bindings.map(([binding, buffer]) => ({ binding, resource: { buffer } })) });
    const groups = [
      entries(frames, [[0, signal], [1, window], [2, twiddle], [3, melWeights], [4, melRanges], [5, logMel], [6, frameMax]]),
      entries(reduce, [[6, frameMax]]),
      entries(normalise, [[5, logMel], [6, frameMax]]),
    ];
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    const owned = [signal, logMel, frameMax, readback, window, twiddle, melWeights, melRanges];
    if (oom || invalid) {
      owned.forEach((b) => b.destroy());
      throw new Error(`WebGPU refused the log-mel front end: ${(oom ?? invalid)!.message}`);
    }
    return new LogMelGpu(device, config, { frames, reduce, normalise }, { signal, logMel, readback, owned }, groups);
  }

  /**
   * The features of `audio` (16 kHz mono): zero-padded or cut to `nSamples` first, as the
   * CPU extractor does. Rejects if the device is lost or a command fails; the caller falls back.
   */
  compute(audio: Float32Array): Promise<Float32Array> {
    const turn = this.queue.then(() => this.run(audio));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async run(audio: Float32Array): Promise<Float32Array> {
    if (this.lost) throw new Error('The WebGPU device of the log-mel front end was lost.');
    const { device, config, pipelines, buffers, groups } = this;
    const { nSamples, nFrames, nMels } = config;
    const signal = new Float32Array(nSamples);
    signal.set(audio.length > nSamples ? audio.subarray(0, nSamples) : audio);
    device.pushErrorScope('validation');
    device.queue.writeBuffer(buffers.signal, 0, signal);
    const encoder = device.createCommandEncoder({ label: 'log-mel' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipelines.frames);
    pass.setBindGroup(0, groups[0]);
    pass.dispatchWorkgroups(nFrames);
    pass.setPipeline(pipelines.reduce);
    pass.setBindGroup(0, groups[1]);
    pass.dispatchWorkgroups(1);
    pass.setPipeline(pipelines.normalise);
    pass.setBindGroup(0, groups[2]);
    pass.dispatchWorkgroups(Math.ceil((nMels * nFrames) / NORMALISE_WORKGROUP));
    pass.end();
    encoder.copyBufferToBuffer(buffers.logMel, 0, buffers.readback, 0, nMels * nFrames * 4);
    device.queue.submit([encoder.finish()]);
    const invalid = await device.popErrorScope();
    if (invalid) throw new Error(`The log-mel front end failed on WebGPU: ${invalid.message}`);
    await buffers.readback.mapAsync(READ);
    try {
      return new Float32Array(buffers.readback.getMappedRange().slice(0));
    } finally {
      buffers.readback.unmap();
    }
  }

  /** Frees the buffers (the device stays its owner's). */
  destroy(): void {
    this.buffers.owned.forEach((b) => b.destroy());
  }
}

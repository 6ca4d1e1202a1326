/**
 * Turns audio at the capture rate (44.1 kHz and 48 kHz both occur) into the 16 kHz mono
 * that speech models take, one block at a time, keeping its place between blocks so a
 * stream resamples exactly like the whole recording would.
 *
 * A windowed-sinc low-pass at the target's Nyquist frequency precedes the decimation, so
 * the 8–24 kHz band does not fold back into speech frequencies.
 */
export class StreamResampler {
  readonly ratio: number;
  private readonly half: number;
  /** Input not yet consumed, including the history the filter needs. */
  private buffer = new Float32Array(0);
  /** Position of the next output sample, in input samples from the start of `buffer`. */
  private position: number;

  constructor(
    readonly inputRate: number,
    readonly outputRate = 16_000,
    halfWidth = 16,
  ) {
    if (!(inputRate > 0) || !(outputRate > 0)) throw new RangeError(`Invalid sample rates ${inputRate} → ${outputRate}`);
    this.ratio = inputRate / outputRate;
    this.half = halfWidth;
    this.position = halfWidth;
    this.buffer = new Float32Array(halfWidth);
  }

  /** Resamples the next block of mono input; returns whatever output it completes. */
  push(input: Float32Array): Float32Array {
    if (this.inputRate === this.outputRate) return input.slice();
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    // One spare: the running position may round to one more output than the division says.
    const out = new Float32Array(Math.max(0, Math.ceil((joined.length - this.half - this.position) / this.ratio)) + 1);
    const cutoff = Math.min(1, this.outputRate / this.inputRate);
    let n = 0;
    while (this.position + this.half < joined.length) {
      const centre = Math.floor(this.position);
      out[n++] = convolve(joined, centre, this.position - centre, cutoff, this.half);
      this.position += this.ratio;
    }
    // Keep the samples the next output still needs.
    const keepFrom = Math.max(0, Math.floor(this.position) - this.half);
    this.buffer = joined.slice(keepFrom);
    this.position -= keepFrom;
    return out.slice(0, n);
  }

  /**
   * Ends the stream: returns the last output, which was held back waiting for look-ahead
   * that will not come, so the whole stream is ceil(input / ratio) samples long.
   */
  flush(): Float32Array {
    return this.inputRate === this.outputRate ? new Float32Array(0) : this.push(new Float32Array(this.half));
  }
}

/**
 * One output sample: the input around `centre` weighted by a Hann-windowed sinc low-pass at
 * `cutoff`. Between taps the sinc's sine and the window's cosine advance by a fixed angle, so
 * they are rotated rather than recomputed: two trigonometric pairs per sample instead of 64,
 * which is what lets an hour-long file resample in seconds.
 */
function convolve(input: Float32Array, centre: number, frac: number, cutoff: number, half: number): number {
  const sincStep = Math.PI * cutoff;
  const windowStep = Math.PI / half;
  const cosS = Math.cos(sincStep);
  const sinS = Math.sin(sincStep);
  const cosW = Math.cos(windowStep);
  const sinW = Math.sin(windowStep);
  let x = -half + 1 - frac;
  let s = Math.sin(sincStep * x);
  let c = Math.cos(sincStep * x);
  let ws = Math.sin(windowStep * x);
  let wc = Math.cos(windowStep * x);
  let sum = 0;
  for (let k = -half + 1; k <= half; k++, x++) {
    // Near the centre the rotated sine's tiny absolute error would be a large relative one.
    const sinc = x === 0 ? 1 : Math.abs(x) < 0.5 ? Math.sin(sincStep * x) / (sincStep * x) : s / (sincStep * x);
    // A Hann window keeps the truncated filter from ringing.
    const window = Math.abs(x) < half ? 0.5 + 0.5 * wc : 0;
    sum += input[centre + k] * cutoff * sinc * window;
    const s1 = s * cosS + c * sinS;
    c = c * cosS - s * sinS;
    s = s1;
    const ws1 = ws * cosW + wc * sinW;
    wc = wc * cosW - ws * sinW;
    ws = ws1;
  }
  return sum;
}

/** Averages channels into one. */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const out = new Float32Array(channels[0]?.length ?? 0);
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i] += channel[i] / channels.length;
  return out;
}

/** Root-mean-square level of a block, 0..1. */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

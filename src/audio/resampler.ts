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
    const out: number[] = [];
    const cutoff = Math.min(1, this.outputRate / this.inputRate);
    while (this.position + this.half < joined.length) {
      const centre = Math.floor(this.position);
      const frac = this.position - centre;
      let sum = 0;
      for (let k = -this.half + 1; k <= this.half; k++) {
        const x = k - frac;
        sum += joined[centre + k] * kernel(x, cutoff, this.half);
      }
      out.push(sum);
      this.position += this.ratio;
    }
    // Keep the samples the next output still needs.
    const keepFrom = Math.max(0, Math.floor(this.position) - this.half);
    this.buffer = joined.slice(keepFrom);
    this.position -= keepFrom;
    return Float32Array.from(out);
  }
}

function kernel(x: number, cutoff: number, half: number): number {
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
  // A Hann window keeps the truncated filter from ringing.
  const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / half);
  return cutoff * sinc * (Math.abs(x) < half ? window : 0);
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

import { expect } from '@open-wc/testing';
import { StreamResampler, downmix, rms } from '../../src/audio/resampler.js';

const sine = (rate: number, seconds: number, hz: number) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));

/** Strength of one frequency in a signal (a single DFT bin). */
function power(signal: Float32Array, rate: number, hz: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < signal.length; i++) {
    re += signal[i] * Math.cos((2 * Math.PI * hz * i) / rate);
    im -= signal[i] * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return Math.hypot(re, im) / signal.length;
}

describe('StreamResampler', () => {
  for (const rate of [48_000, 44_100]) {
    it(`turns ${rate / 1000} kHz into 16 kHz, keeping a 440 Hz tone`, () => {
      const out = new StreamResampler(rate).push(sine(rate, 1, 440));
      expect(out.length).to.be.closeTo(16_000, 40);
      expect(power(out, 16_000, 440)).to.be.closeTo(0.5, 0.05);
      expect(rms(out.subarray(100, 15_800))).to.be.closeTo(Math.SQRT1_2, 0.03);
    });
  }

  it('keeps a 10 kHz tone (above 8 kHz) from folding into the speech band', () => {
    const out = new StreamResampler(48_000).push(sine(48_000, 1, 10_000));
    // Undefended decimation would put it at 6 kHz with full strength.
    expect(power(out, 16_000, 6_000)).to.be.lessThan(0.05);
  });

  it('gives the same samples in blocks as in one piece', () => {
    const input = sine(44_100, 0.5, 300);
    const whole = new StreamResampler(44_100).push(input);
    const streaming = new StreamResampler(44_100);
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 128) parts.push(...streaming.push(input.subarray(i, i + 128)));
    expect(parts.length).to.equal(whole.length);
    for (let i = 0; i < whole.length; i += 97) expect(parts[i]).to.be.closeTo(whole[i], 1e-6);
  });

  it('mixes channels down to one', () => {
    expect([...downmix([Float32Array.of(1, 0), Float32Array.of(0, 1)])]).to.deep.equal([0.5, 0.5]);
  });
});

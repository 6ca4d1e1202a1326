import { expect } from '@open-wc/testing';
import { rms } from '../../src/audio/resampler.js';
import { isWav, readWavFormat, wavBlocks, wavOutputLength } from '../../src/audio/wav-stream.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { encodeSamples, repeatedWav, wavBlob, wavHeader, type WavSpec } from '../support/wav.js';

const sine = (rate: number, seconds: number, hz: number, amplitude = 0.8) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));

async function readAll(blob: Blob) {
  const format = await readWavFormat(blob);
  const blocks: Float32Array[] = [];
  for await (const block of wavBlocks(blob, format)) blocks.push(block);
  const samples = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  blocks.reduce((at, b) => (samples.set(b, at), at + b.length), 0);
  return { format, blocks, samples };
}

async function rejection(promise: Promise<unknown>): Promise<SlmError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(SlmError);
    return error as SlmError;
  }
  throw new Error('expected a rejection');
}

describe('WAV streaming reader', () => {
  it('reads 16-bit stereo at 44.1 kHz as 16 kHz mono, channels averaged', async () => {
    const spec: WavSpec = { sampleRate: 44_100, channels: 2, bits: 16 };
    const { format, samples } = await readAll(wavBlob(spec, [sine(44_100, 3, 440), new Float32Array(44_100 * 3)]));
    expect(format).to.include({ sampleRate: 44_100, channels: 2, bitsPerSample: 16, sampleType: 'int', frames: 132_300 });
    expect(samples.length).to.be.closeTo(48_000, 2);
    expect(samples.length).to.equal(wavOutputLength(format));
    // Left at 0.8, right silent: the mix is a 0.4 sine (RMS 0.283).
    expect(rms(samples.subarray(100, -100))).to.be.closeTo(0.4 * Math.SQRT1_2, 0.01);
  });

  it('reads unsigned 8-bit mono at 8 kHz, upsampled', async () => {
    const { format, samples } = await readAll(wavBlob({ sampleRate: 8_000, channels: 1, bits: 8 }, [sine(8_000, 2, 300)]));
    expect(format).to.include({ bitsPerSample: 8, sampleType: 'int', frames: 16_000 });
    expect(samples.length).to.be.closeTo(32_000, 2);
    expect(rms(samples.subarray(100, -100))).to.be.closeTo(0.8 * Math.SQRT1_2, 0.02);
  });

  it('reads 32-bit float at 48 kHz, past a LIST chunk of odd length before the audio', async () => {
    const list = { id: 'LIST', body: new TextEncoder().encode('INFOISFT\x05\x00\x00\x00Lavf\x00') };
    const spec: WavSpec = { sampleRate: 48_000, channels: 1, bits: 32, float: true, chunksBeforeData: [list] };
    expect(list.body.length % 2).to.equal(1);
    const { format, samples } = await readAll(wavBlob(spec, [sine(48_000, 2.5, 1_000)]));
    expect(format).to.include({ sampleType: 'float', frames: 120_000 });
    expect(samples.length).to.be.closeTo(40_000, 2);
    expect(rms(samples.subarray(100, -100))).to.be.closeTo(0.8 * Math.SQRT1_2, 0.02);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE 24-bit with three channels sample for sample', async () => {
    const spec: WavSpec = { sampleRate: 16_000, channels: 3, bits: 24, extensible: true };
    const channels = [sine(16_000, 1, 200, 0.9), sine(16_000, 1, 300, -0.6), sine(16_000, 1, 50, 0.3)];
    const { format, samples } = await readAll(wavBlob(spec, channels));
    expect(format).to.include({ channels: 3, bitsPerSample: 24, sampleType: 'int', frames: 16_000 });
    expect(samples.length).to.equal(16_000);
    for (let i = 0; i < 16_000; i += 101) expect(samples[i]).to.be.closeTo((channels[0][i] + channels[1][i] + channels[2][i]) / 3, 1e-6);
  });

  it('reads 32-bit integer PCM and extensible float', async () => {
    for (const spec of [
      { sampleRate: 16_000, channels: 1, bits: 32 },
      { sampleRate: 16_000, channels: 2, bits: 32, float: true, extensible: true },
    ] satisfies WavSpec[]) {
      const tone = sine(16_000, 0.5, 400, -0.7);
      const { format, samples } = await readAll(wavBlob(spec, Array.from({ length: spec.channels }, () => tone)));
      expect(format.sampleType).to.equal('float' in spec ? 'float' : 'int');
      expect(samples.length).to.equal(8_000);
      for (let i = 0; i < 8_000; i += 37) expect(samples[i]).to.be.closeTo(tone[i], 1e-6);
    }
  });

  it('reads to the end of a file whose data size a crashed recorder left at 0xFFFFFFFF', async () => {
    const spec: WavSpec = { sampleRate: 16_000, channels: 1, bits: 16 };
    const data = encodeSamples(spec, [sine(16_000, 1, 300)]);
    const format = await readWavFormat(new Blob([wavHeader(spec, 0xffffffff), data]));
    expect(format.frames).to.equal(16_000);
  });

  it('knows a WAV by its first bytes, not its name', async () => {
    const mp3 = await (await fetch('/test/fixtures/audio/jfk.mp3')).blob();
    expect(await isWav(new File([mp3], 'jfk.wav'))).to.equal(false);
    expect(await isWav(new File([await (await fetch('/test/fixtures/audio/jfk.wav')).blob()], 'recording.bin'))).to.equal(true);
  });

  it('refuses damaged headers with a typed error that names the file', async () => {
    const good = wavHeader({ sampleRate: 16_000, channels: 1, bits: 16 }, 0);
    const cutFormat = good.slice();
    new DataView(cutFormat.buffer).setUint32(16, 8, true);
    const noChannels = good.slice();
    new DataView(noChannels.buffer).setUint16(22, 0, true);
    for (const [bytes, why] of [
      [good.slice(0, 12), 'no format chunk'],
      [good.slice(0, 24), 'cut short'],
      [cutFormat, 'cut short'],
      [noChannels, '0 channels'],
      [good.slice(0, 36), 'no audio data'],
      [new TextEncoder().encode('RIFX\0\0\0\0WAVEfmt '), 'RIFF/WAVE'],
    ] as const) {
      const error = await rejection(readWavFormat(new File([bytes], 'broken.wav')));
      expect(error.code).to.equal('audio-unsupported');
      expect(error.message).to.contain('“broken.wav”').and.contain(why);
    }
  });

  it('refuses to stream an encoding it does not know, rather than read noise', async () => {
    const header = wavHeader({ sampleRate: 8_000, channels: 1, bits: 8 }, 100);
    new DataView(header.buffer).setUint16(20, 7, true); // µ-law
    const blob = new Blob([header, new Uint8Array(100)]);
    const format = await readWavFormat(blob);
    expect(format.sampleType).to.equal(null);
    const error = await rejection(wavBlocks(blob, format).next());
    expect(error.code).to.equal('audio-unsupported');
  });

  it('reads ten minutes in blocks of a few seconds, however long the file', async () => {
    const spec: WavSpec = { sampleRate: 16_000, channels: 1, bits: 16 };
    const second = encodeSamples(spec, [sine(16_000, 1, 250)]);
    const file = repeatedWav(spec, second, 600);
    const format = await readWavFormat(file);
    let total = 0;
    let largest = 0;
    let blocks = 0;
    for await (const block of wavBlocks(file, format)) {
      total += block.length;
      largest = Math.max(largest, block.length);
      blocks++;
    }
    expect(total).to.equal(600 * 16_000);
    expect(largest).to.be.at.most(4 * 16_000);
    expect(blocks).to.be.at.least(150);
  });

  it('keeps blocks small when a long file is resampled', async () => {
    const spec: WavSpec = { sampleRate: 48_000, channels: 2, bits: 16 };
    const second = encodeSamples(spec, [sine(48_000, 1, 250), sine(48_000, 1, 250)]);
    const file = repeatedWav(spec, second, 60);
    let total = 0;
    let largest = 0;
    for await (const block of wavBlocks(file, await readWavFormat(file))) {
      total += block.length;
      largest = Math.max(largest, block.length);
    }
    expect(total).to.be.closeTo(60 * 16_000, 2);
    expect(largest).to.be.at.most(4 * 16_000 + 16);
  });
});

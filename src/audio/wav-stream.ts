import { SlmError } from '../errors/slm-error.js';
import { StreamResampler, downmix } from './resampler.js';

/** What a WAV file's header says about its samples, and where they lie. */
export interface WavFormat {
  sampleRate: number;
  channels: number;
  /** Bits each sample occupies in the file (a 20-bit sample in a 24-bit container counts 24). */
  bitsPerSample: number;
  /** `null` for encodings this reader does not know (A-law, µ-law, ADPCM…); the browser may. */
  sampleType: 'int' | 'float' | null;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Samples per channel. */
  frames: number;
}

export interface WavStreamOptions {
  /** Seconds of the file read at once: the reader's memory is about this much audio. */
  sliceSeconds?: number;
  outputRate?: number;
}

const PCM = 0x0001;
const IEEE_FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;

/** Whether the blob starts like a WAV file ("RIFF....WAVE"), whatever its name or type says. */
export async function isWav(blob: Blob): Promise<boolean> {
  if (blob.size < 12) return false;
  const head = new DataView(await read(blob, 0, 12));
  return fourcc(head, 0) === 'RIFF' && fourcc(head, 8) === 'WAVE';
}

/**
 * Walks the RIFF chunks up to the audio data, reading only their headers, so chunks this
 * reader has no use for (LIST, cue, an embedded picture) cost nothing however large.
 */
export async function readWavFormat(blob: Blob): Promise<WavFormat> {
  if (!(await isWav(blob))) throw damaged(blob, 'it does not start with a RIFF/WAVE header');
  let fmt: Omit<WavFormat, 'dataOffset' | 'frames'> | null = null;
  for (let offset = 12; offset + 8 <= blob.size; ) {
    const head = new DataView(await read(blob, offset, offset + 8));
    const id = fourcc(head, 0);
    const size = head.getUint32(4, true);
    const body = offset + 8;
    // The format needs 40 bytes at most; a damaged size must not read the whole file.
    if (id === 'fmt ') fmt = parseFmt(blob, new DataView(await read(blob, body, body + Math.min(size, 64))));
    else if (id === 'data') {
      if (!fmt) throw damaged(blob, 'its audio comes before its format');
      // Recorders that stream or crash leave the size 0 or 0xFFFFFFFF; a cut file is shorter
      // than it says. Either way the audio runs to the end of what is there.
      const available = blob.size - body;
      const bytes = size === 0 || size > available ? available : size;
      const frameBytes = (fmt.channels * fmt.bitsPerSample) / 8;
      return { ...fmt, dataOffset: body, frames: Math.floor(bytes / frameBytes) };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw damaged(blob, fmt ? 'it holds no audio data' : 'it has no format chunk');
}

/**
 * The audio of a WAV file as mono blocks at `outputRate` (16 kHz), read a slice at a time:
 * an hour-long recording costs the memory of a few seconds of it.
 */
export async function* wavBlocks(blob: Blob, format: WavFormat, { sliceSeconds = 2, outputRate = 16_000 }: WavStreamOptions = {}): AsyncGenerator<Float32Array> {
  const decode = sampleDecoder(blob, format);
  const step = format.bitsPerSample / 8;
  const frameBytes = format.channels * step;
  const sliceBytes = Math.max(1, Math.round(sliceSeconds * format.sampleRate)) * frameBytes;
  const end = format.dataOffset + format.frames * frameBytes;
  const resampler = new StreamResampler(format.sampleRate, outputRate);
  for (let at = format.dataOffset; at < end; at += sliceBytes) {
    const view = new DataView(await read(blob, at, Math.min(end, at + sliceBytes)));
    const frames = Math.floor(view.byteLength / frameBytes);
    const channels = Array.from({ length: format.channels }, () => new Float32Array(frames));
    let byte = 0;
    for (let i = 0; i < frames; i++) {
      for (const channel of channels) {
        channel[i] = decode(view, byte);
        byte += step;
      }
    }
    const block = resampler.push(downmix(channels));
    if (block.length) yield block;
  }
  const tail = resampler.flush();
  if (tail.length) yield tail;
}

/** How many samples `wavBlocks` yields in all. */
export const wavOutputLength = (format: WavFormat, outputRate = 16_000) =>
  format.sampleRate === outputRate ? format.frames : Math.ceil((format.frames * outputRate) / format.sampleRate);

function parseFmt(blob: Blob, view: DataView): Omit<WavFormat, 'dataOffset' | 'frames'> {
  if (view.byteLength < 16) throw damaged(blob, 'its format chunk is cut short');
  let tag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const bitsPerSample = view.getUint16(14, true);
  // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its SubFormat GUID.
  if (tag === EXTENSIBLE) {
    if (view.byteLength < 26) throw damaged(blob, 'its extensible format chunk is cut short');
    tag = view.getUint16(24, true);
  }
  if (!channels || !sampleRate || !bitsPerSample || bitsPerSample % 8) throw damaged(blob, `it declares ${channels} channels of ${bitsPerSample}-bit samples at ${sampleRate} Hz`);
  const sampleType = tag === PCM && bitsPerSample <= 32 ? 'int' : tag === IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64) ? 'float' : null;
  return { sampleRate, channels, bitsPerSample, sampleType };
}

type SampleDecoder = (view: DataView, byte: number) => number;

function sampleDecoder(blob: Blob, { sampleType, bitsPerSample }: WavFormat): SampleDecoder {
  if (sampleType === 'float') return bitsPerSample === 64 ? (v, b) => v.getFloat64(b, true) : (v, b) => v.getFloat32(b, true);
  if (sampleType === 'int') {
    switch (bitsPerSample) {
      // 8-bit WAV is the one unsigned format.
      case 8:
        return (v, b) => (v.getUint8(b) - 128) / 128;
      case 16:
        return (v, b) => v.getInt16(b, true) / 0x8000;
      case 24:
        return (v, b) => (v.getUint8(b) | (v.getUint8(b + 1) << 8) | (v.getInt8(b + 2) << 16)) / 0x800000;
      case 32:
        return (v, b) => v.getInt32(b, true) / 0x80000000;
    }
  }
  throw new SlmError('audio-unsupported', `${label(blob)} uses a WAV encoding that cannot be read in parts (${bitsPerSample}-bit). Save it as 16-bit PCM WAV.`);
}

async function read(blob: Blob, start: number, end: number): Promise<ArrayBuffer> {
  try {
    return await blob.slice(start, end).arrayBuffer();
  } catch (error) {
    // A file changed or removed on disk since it was chosen can no longer be read.
    throw new SlmError('audio-unsupported', `${label(blob)} could not be read any further: ${String(error)}`, { cause: error });
  }
}

const fourcc = (view: DataView, at: number) => String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
const label = (blob: Blob) => (blob instanceof File ? `“${blob.name}”` : 'This WAV file');
const damaged = (blob: Blob, why: string) => new SlmError('audio-unsupported', `${label(blob)} is not a readable WAV file: ${why}.`);

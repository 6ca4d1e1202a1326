/** How a test WAV file is laid out. */
export interface WavSpec {
  sampleRate: number;
  channels: number;
  bits: 8 | 16 | 24 | 32 | 64;
  float?: boolean;
  /** Write WAVE_FORMAT_EXTENSIBLE, with the real format in the SubFormat GUID. */
  extensible?: boolean;
  /** Chunks written between the format and the audio (LIST, cue…). */
  chunksBeforeData?: Array<{ id: string; body: Uint8Array<ArrayBuffer> }>;
}

/** Everything before the samples: RIFF header, format, extra chunks, the data chunk's header. */
export function wavHeader(spec: WavSpec, dataBytes: number): Uint8Array<ArrayBuffer> {
  const fmtSize = spec.extensible ? 40 : 16;
  const extra = (spec.chunksBeforeData ?? []).reduce((sum, c) => sum + 8 + c.body.length + (c.body.length % 2), 0);
  const bytes = new Uint8Array(12 + 8 + fmtSize + extra + 8);
  const view = new DataView(bytes.buffer);
  const id = (at: number, text: string) => [...text].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  const tag = spec.float ? 3 : 1;
  id(0, 'RIFF');
  view.setUint32(4, bytes.length - 8 + dataBytes, true);
  id(8, 'WAVE');
  id(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, spec.extensible ? 0xfffe : tag, true);
  view.setUint16(22, spec.channels, true);
  view.setUint32(24, spec.sampleRate, true);
  view.setUint32(28, (spec.sampleRate * spec.channels * spec.bits) / 8, true);
  view.setUint16(32, (spec.channels * spec.bits) / 8, true);
  view.setUint16(34, spec.bits, true);
  if (spec.extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(38, spec.bits, true);
    view.setUint32(40, 0, true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the format tag, then a fixed GUID tail.
    view.setUint16(44, tag, true);
    bytes.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  let at = 20 + fmtSize;
  for (const chunk of spec.chunksBeforeData ?? []) {
    id(at, chunk.id);
    view.setUint32(at + 4, chunk.body.length, true);
    bytes.set(chunk.body, at + 8);
    at += 8 + chunk.body.length + (chunk.body.length % 2);
  }
  id(at, 'data');
  view.setUint32(at + 4, dataBytes, true);
  return bytes;
}

/** Interleaves channels (-1..1) into the sample format of `spec`. */
export function encodeSamples(spec: WavSpec, channels: Float32Array[]): Uint8Array<ArrayBuffer> {
  const size = spec.bits / 8;
  const frames = channels[0].length;
  const view = new DataView(new ArrayBuffer(frames * spec.channels * size));
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      const x = Math.max(-1, Math.min(1, channel[i]));
      if (spec.float && spec.bits === 64) view.setFloat64(at, x, true);
      else if (spec.float) view.setFloat32(at, x, true);
      else if (spec.bits === 8) view.setUint8(at, Math.round(x * 127) + 128);
      else if (spec.bits === 16) view.setInt16(at, Math.round(x * 32767), true);
      else if (spec.bits === 24) {
        const v = Math.round(x * 8388607);
        view.setUint8(at, v & 0xff);
        view.setUint8(at + 1, (v >> 8) & 0xff);
        view.setInt8(at + 2, v >> 16);
      } else view.setInt32(at, Math.round(x * 2147483647), true);
      at += size;
    }
  }
  return new Uint8Array(view.buffer);
}

export function wavBlob(spec: WavSpec, channels: Float32Array[]): Blob {
  const data = encodeSamples(spec, channels);
  return new Blob([wavHeader(spec, data.length), data], { type: 'audio/wav' });
}

/**
 * A long recording that costs no memory to make: the same stretch of samples, referenced
 * `times` times by one Blob.
 */
export function repeatedWav(spec: WavSpec, data: Uint8Array<ArrayBuffer> | Blob, times: number, name = 'long.wav'): File {
  const size = data instanceof Blob ? data.size : data.length;
  return new File([wavHeader(spec, size * times), ...Array.from({ length: times }, () => data)], name, { type: 'audio/wav' });
}

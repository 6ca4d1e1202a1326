import { SlmError } from '../../../errors/slm-error.js';
import { downmix } from '../../../audio/resampler.js';

/**
 * Decodes an uploaded recording (WAV, MP3, OGG, WebM, whatever the browser reads) into
 * 16 kHz mono. An OfflineAudioContext at 16 kHz makes the browser resample while decoding.
 */
export async function decodeAudioFile(file: Blob): Promise<Float32Array> {
  let buffer: AudioBuffer;
  try {
    buffer = await new OfflineAudioContext(1, 1, 16_000).decodeAudioData(await file.arrayBuffer());
  } catch (error) {
    const name = file instanceof File ? `“${file.name}”` : 'This file';
    throw new SlmError('audio-unsupported', `${name} could not be read as audio. Use WAV, MP3, OGG or WebM.`, { cause: error });
  }
  return downmix(Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i)));
}

import { SlmError } from '../../../errors/slm-error.js';
import { downmix } from '../../../audio/resampler.js';

/**
 * Compressed files are decoded whole, and the browser decodes at the file's own rate before
 * resampling: past these bounds that no longer fits a tab's memory. WAV files of any length
 * take the streaming path instead.
 */
export const MAX_DECODED_FILE_BYTES = 150 * 1024 * 1024;
export const MAX_DECODED_SECONDS = 2 * 60 * 60;

/**
 * Decodes an uploaded recording (WAV, MP3, OGG, WebM, whatever the browser reads) into
 * 16 kHz mono. An OfflineAudioContext at 16 kHz makes the browser resample while decoding.
 */
export async function decodeAudioFile(file: Blob): Promise<Float32Array> {
  const name = file instanceof File ? `“${file.name}”` : 'This file';
  if (file.size > MAX_DECODED_FILE_BYTES) throw tooLong(name, `${Math.round(file.size / 1024 / 1024)} MB`);
  let buffer: AudioBuffer;
  try {
    buffer = await new OfflineAudioContext(1, 1, 16_000).decodeAudioData(await file.arrayBuffer());
  } catch (error) {
    throw new SlmError('audio-unsupported', `${name} could not be read as audio. Use WAV, MP3, OGG or WebM.`, { cause: error });
  }
  // A low bit rate packs hours into few megabytes; what they decode to is refused here,
  // before the speech model spends an afternoon on it.
  if (buffer.duration > MAX_DECODED_SECONDS) throw tooLong(name, `${(buffer.duration / 3600).toFixed(1)} hours`);
  return downmix(Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i)));
}

const tooLong = (name: string, size: string) =>
  new SlmError(
    'audio-too-long',
    `${name} is too long to decode in one piece (${size}; compressed files may be up to ${MAX_DECODED_FILE_BYTES / 1024 / 1024} MB and ${MAX_DECODED_SECONDS / 3600} hours). ` +
      'Save it as WAV, which is read a few seconds at a time at any length, or split it into shorter recordings.',
  );

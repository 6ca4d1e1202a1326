import { isWav, readWavFormat, wavBlocks, wavOutputLength } from '../../../audio/wav-stream.js';
import { decodeAudioFile } from './decode-audio-file.js';

/** An uploaded recording as 16 kHz mono blocks, and how many samples they add up to. */
export interface AudioFileSource {
  samples: number;
  blocks: AsyncIterable<Float32Array>;
}

/**
 * WAV files (known by their first bytes, not their name) are read a slice at a time, so
 * their length is not limited by memory; anything else is decoded whole by the browser.
 */
export async function openAudioFile(file: Blob): Promise<AudioFileSource> {
  if (await isWav(file)) {
    const format = await readWavFormat(file);
    // A-law, µ-law and the like: the browser's decoder may know them.
    if (format.sampleType) return { samples: wavOutputLength(format), blocks: wavBlocks(file, format) };
  }
  const audio = await decodeAudioFile(file);
  return { samples: audio.length, blocks: slices(audio, 4 * 16_000) };
}

async function* slices(audio: Float32Array, size: number): AsyncGenerator<Float32Array> {
  for (let i = 0; i < audio.length; i += size) yield audio.subarray(i, i + size);
}

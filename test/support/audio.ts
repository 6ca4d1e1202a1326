/** Decodes an audio file served by the test server into 16 kHz mono samples. */
export async function loadAudio(path: string): Promise<Float32Array> {
  const bytes = await (await fetch(path)).arrayBuffer();
  const decoded = await new OfflineAudioContext(1, 1, 16_000).decodeAudioData(bytes);
  return decoded.getChannelData(0);
}

/** A tone with a little noise: input that differs from silence without being speech. */
export function tone(seconds: number, frequency = 220, sampleRate = 16_000): Float32Array {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  let seed = 1;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 16807) % 2147483647;
    samples[i] = 0.3 * Math.sin((2 * Math.PI * frequency * i) / sampleRate) + 0.02 * (seed / 2147483647 - 0.5);
  }
  return samples;
}

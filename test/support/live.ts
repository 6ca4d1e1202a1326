import { SpeechPipeline } from '../../src/audio/speech-pipeline.js';
import { TranscriptStore, type TranscriptChange, type TranscriptSegment } from '../../src/audio/transcript-store.js';
import type { SlmEngine } from '../../src/engine/slm-engine.js';
import type { SlmError } from '../../src/errors/slm-error.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Audio through the live path without a microphone: the default segmenter (a partial every
 * 0.8 s of speech), 100 ms blocks on a capture port as the worklet sends them, at the pace of
 * speech. Returns every transcript change in order, the errors, and the samples the worker
 * counted at the end.
 */
export async function streamLive(engine: SlmEngine, audio: Float32Array, idPrefix = `live-${Date.now()}`, transcript = new TranscriptStore()) {
  const changes: TranscriptSegment[] = [];
  const onChange = (event: Event) => changes.push((event as CustomEvent<TranscriptChange>).detail.segment);
  transcript.addEventListener('slm-transcript', onChange);
  const errors: SlmError[] = [];
  const pipeline = new SpeechPipeline(engine, transcript, { idPrefix, onError: (error) => errors.push(error) });
  try {
    await pipeline.start();
    const port = pipeline.capturePort();
    const block = 1_600;
    for (let at = 0; at < audio.length; at += block) {
      const samples = audio.slice(at, at + block);
      port.postMessage({ samples }, [samples.buffer]);
      await sleep(100);
    }
    const received = await pipeline.finish(audio.length);
    port.close();
    return { changes, errors, received, finals: transcript.segments.filter((s) => s.final) };
  } finally {
    pipeline.dispose();
    transcript.removeEventListener('slm-transcript', onChange);
  }
}

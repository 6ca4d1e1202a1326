/**
 * The speech pipeline on WASM with a random-weight Whisper of whisper-tiny's real size:
 * 1. real-time factor of `<slm-transcriber>`'s file path (decode → speech worker with Silero
 *    VAD and segmenter → engine → ASR worker) against the raw Transformers.js pipeline
 *    (30 s chunks, 5 s stride) on the same audio, in the same page;
 * 2. the longest main-thread task while the transcriber takes a two-minute dictation live
 *    through Chromium's fake microphone.
 */
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import { PACKAGED_WASM_PATHS } from '../../src/engine/slm-engine.js';
import { configureTransformers } from '../../src/engine/workers/transformers-env.js';

const MODEL = 'slm-test/whisper-tiny-size-random';
const AUDIO = '/bench-data/dictation-2min.wav';
const host = new URL('/bench-models', location.href).href;

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const bytes = await (await fetch(AUDIO)).arrayBuffer();
  const decoded = await new OfflineAudioContext(1, 1, 16_000).decodeAudioData(bytes.slice(0));
  const audio = decoded.getChannelData(0);
  const seconds = audio.length / 16_000;

  const provider = document.createElement('slm-provider') as SlmProvider;
  Object.assign(provider, { asr: MODEL, asrDtype: 'fp32', modelHost: host, device: 'wasm', hideStatus: true });
  const transcriber = document.createElement('slm-transcriber') as SlmTranscriber;
  transcriber.noShortcut = true;
  provider.append(transcriber);
  document.body.append(provider);
  const loadStarted = performance.now();
  await provider.load();
  log(`model ${MODEL} (fp32, WASM) loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
  // Warm both paths once on a short clip so neither pays first-run costs in the timing.
  await provider.engine.transcribe(audio.slice(0, 16_000 * 3));

  const started = performance.now();
  await transcriber.transcribeFile(new Blob([bytes], { type: 'audio/wav' }));
  const ours = (performance.now() - started) / 1000;
  const finals = transcriber.segments.filter((s) => s.final).length;
  const speech = transcriber.segments.reduce((sum, s) => sum + (s.end - s.start), 0);

  const transformers = await import('@huggingface/transformers');
  const { pipeline } = transformers;
  configureTransformers(transformers, { host, wasmPaths: PACKAGED_WASM_PATHS, useBrowserCache: true });
  const raw = await pipeline('automatic-speech-recognition', MODEL, { device: 'wasm', dtype: 'fp32' });
  await raw(audio.slice(0, 16_000 * 3));
  const rawStarted = performance.now();
  await raw(audio, { chunk_length_s: 30, stride_length_s: 5 } as never);
  const direct = (performance.now() - rawStarted) / 1000;

  log(`audio: ${seconds.toFixed(1)} s (${speech.toFixed(1)} s of it in ${finals} speech segments)`);
  log(`  slm-transcriber file path: ${ours.toFixed(1)} s, real-time factor ${(ours / seconds).toFixed(3)} (goal <= 0.3)`);
  log(`  Transformers.js pipeline:  ${direct.toFixed(1)} s, real-time factor ${(direct / seconds).toFixed(3)}`);
  log(`  ours / raw: ${(ours / direct).toFixed(3)} (overhead goal <= 1.05; ours skips silence, raw reads it all)`);

  // Live: the fake microphone plays the same two minutes; watch the main thread meanwhile.
  provider.engine.transcript.clear();
  let longest = 0;
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => (longest = Math.max(longest, e.duration))));
  observer.observe({ type: 'longtask', buffered: false });
  let maxGap = 0;
  let last = performance.now();
  let watching = true;
  const tick = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (watching) setTimeout(tick, 10);
  };
  tick();
  await transcriber.start();
  await sleep(seconds * 1000 + 1500);
  await transcriber.stop();
  watching = false;
  observer.disconnect();
  const audit = transcriber.lastAudit!;
  log(`live dictation: ${(audit.produced / 16_000).toFixed(1)} s captured, ${audit.received === audit.produced ? 'every sample reached the segmenter' : `${audit.produced - audit.received} samples missing`}, ${transcriber.segments.filter((s) => s.final).length} final segments`);
  log(`  longest main-thread task: ${longest ? `${longest.toFixed(0)} ms` : 'none over 50 ms'}; longest gap between 10 ms timers: ${maxGap.toFixed(0)} ms (goal < 50 ms)`);
  (window as unknown as { benchResult: unknown }).benchResult = { ours, direct, seconds, longest, maxGap };
}

main().catch((error: unknown) => {
  log(`benchmark failed: ${String(error)}`);
  (window as unknown as { benchResult: unknown }).benchResult = { error: String(error) };
});

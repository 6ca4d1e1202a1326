/**
 * The speech pipeline on WASM with a random-weight Whisper of whisper-tiny's real size:
 * 1. real-time factor of `<slm-transcriber>`'s file path (decode → speech worker with Silero
 *    VAD and segmenter → engine → ASR worker) against the raw Transformers.js pipeline
 *    (30 s chunks, 5 s stride) on the same audio, each in its own worker, in alternating rounds
 *    so that load from other processes hits both alike;
 * 2. the longest main-thread task while the transcriber takes a two-minute dictation live
 *    through Chromium's fake microphone, and what it was (Long Animation Frame attribution).
 *
 * Query: `parts=file,live` (default both), `dtype=fp32|q8`, `rounds=N` (file rounds, default 2),
 * `seconds=N` (a shorter live part), `verbose` (every long frame and timer gap), `vad=energy`
 * (loudness instead of Silero, to see what the neural VAD costs), `parts=probe` (one clip
 * through both, alternating: the model's own cost without any pipeline).
 */
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import { PACKAGED_WASM_PATHS } from '../../src/engine/slm-engine.js';
import type { ModelDtype } from '../../src/engine/types.js';
import type { BaselineRequest, BaselineResponse } from './asr-baseline.worker.js';

const MODEL = 'slm-test/whisper-tiny-size-random';
const AUDIO = '/bench-data/dictation-2min.wav';
const query = new URLSearchParams(location.search);
const parts = (query.get('parts') ?? 'file,live').split(',');
const dtype = (query.get('dtype') ?? 'fp32') as ModelDtype;
const rounds = Number(query.get('rounds') ?? 2);
const host = { host: new URL('/bench-models', location.href).href, wasmPaths: PACKAGED_WASM_PATHS, useBrowserCache: true };

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const min = (values: number[]) => Math.min(...values);

/** The baseline pipeline in its own worker (see asr-baseline.worker.ts). */
function baseline() {
  const worker = new Worker(new URL('./asr-baseline.worker.ts', import.meta.url), { type: 'module', name: 'bench-baseline' });
  const call = (request: BaselineRequest, transfer: Transferable[] = []) =>
    new Promise<BaselineResponse>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<BaselineResponse>) => (event.data.type === 'error' ? reject(new Error(event.data.message)) : resolve(event.data));
      worker.postMessage(request, transfer);
    });
  return { call, terminate: () => worker.terminate() };
}

async function main() {
  const bytes = await (await fetch(AUDIO)).arrayBuffer();
  const decoded = await new OfflineAudioContext(1, 1, 16_000).decodeAudioData(bytes.slice(0));
  const audio = decoded.getChannelData(0);
  const seconds = audio.length / 16_000;

  const provider = document.createElement('slm-provider') as SlmProvider;
  Object.assign(provider, { asr: MODEL, asrDtype: dtype, modelHost: host.host, device: 'wasm', hideStatus: true });
  const transcriber = document.createElement('slm-transcriber') as SlmTranscriber;
  transcriber.noShortcut = true;
  if (query.get('vad') === 'energy') transcriber.vad = 'energy';
  provider.append(transcriber);
  document.body.append(provider);
  const loadStarted = performance.now();
  await provider.load();
  log(`model ${MODEL} (${dtype}, WASM, ${crossOriginIsolated ? `cross-origin isolated, ${navigator.hardwareConcurrency} cores` : 'not cross-origin isolated: one thread'}) loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
  // Warm both paths once on a short clip so neither pays first-run costs in the timing: for
  // ours, an 11 s file through the whole file path (speech worker, onnxruntime, Silero).
  await provider.engine.transcribe(audio.slice(0, 16_000 * 3));
  await transcriber.transcribeFile(await (await fetch('/test/fixtures/audio/jfk.wav')).blob());
  const result: Record<string, unknown> = { seconds };

  // Every recognition the engine runs: how long the model took in its worker, and end to end.
  const calls: Array<{ seconds: number; modelMs: number; wallMs: number; chars: number }> = [];
  const engine = provider.engine;
  const transcribe = engine.transcribe.bind(engine);
  engine.transcribe = async (clip, options) => {
    const begun = performance.now();
    const out = await transcribe(clip, options);
    calls.push({ seconds: clip.length / 16_000, modelMs: out.elapsedMs, wallMs: performance.now() - begun, chars: out.text.length });
    return out;
  };
  const callSummary = (from: number) => {
    const mine = calls.slice(from);
    const sum = (f: (c: (typeof calls)[number]) => number) => mine.reduce((total, c) => total + f(c), 0);
    return `${mine.length} model calls on ${sum((c) => c.seconds).toFixed(0)} s of windows (${mine.map((c) => c.seconds.toFixed(0)).join(', ')} s), ${sum((c) => c.chars)} characters: ${(sum((c) => c.modelMs) / 1000).toFixed(1)} s in the model (${mine.map((c) => (c.modelMs / 1000).toFixed(1)).join(', ')} s)`;
  };

  if (parts.includes('probe')) {
    // The same clip through both, alternating: the model's own cost, without any pipeline.
    const raw = baseline();
    await raw.call({ type: 'load', model: MODEL, dtype, host, warmup: audio.slice(0, 16_000 * 3) });
    for (const clipSeconds of [15, 28]) {
      const clip = audio.slice(16_000, 16_000 * (1 + clipSeconds));
      for (let i = 0; i < 2; i++) {
        const begun = performance.now();
        const mine = await engine.transcribe(clip);
        const oursMs = performance.now() - begun;
        const ran = await raw.call({ type: 'run', audio: clip.slice() });
        log(`  ${clipSeconds} s clip: engine ${oursMs.toFixed(0)} ms (model ${mine.elapsedMs.toFixed(0)} ms, ${mine.text.length} chars), raw ${ran.type === 'ran' ? `${(ran.seconds * 1000).toFixed(0)} ms (${ran.text.length} chars)` : '?'}`);
      }
    }
    raw.terminate();
  }

  if (parts.includes('file')) {
    const raw = baseline();
    await raw.call({ type: 'load', model: MODEL, dtype, host, warmup: audio.slice(0, 16_000 * 3) });
    const ours: number[] = [];
    const direct: number[] = [];
    const oursCpu: number[] = [];
    const rawCpu: number[] = [];
    for (let round = 0; round < rounds; round++) {
      provider.engine.transcript.clear();
      await window.benchTrace?.('start');
      performance.mark('bench-trace-start');
      const started = performance.now();
      const first = calls.length;
      await transcriber.transcribeFile(new Blob([bytes], { type: 'audio/wav' }));
      ours.push((performance.now() - started) / 1000);
      performance.mark('bench-trace-end');
      const oursTrace = await window.benchTrace?.('stop');
      log(`  round ${round + 1}, ours: ${callSummary(first)}`);
      await window.benchTrace?.('start');
      performance.mark('bench-trace-start');
      const ran = await raw.call({ type: 'run', audio: audio.slice() });
      performance.mark('bench-trace-end');
      const rawTrace = await window.benchTrace?.('stop');
      if (oursTrace?.cpuByThread && rawTrace?.cpuByThread) {
        // CPU seconds do not grow when other processes take the cores, so this comparison holds on a busy machine.
        const total = (t: TraceSummary) => Object.values(t.cpuByThread).reduce((a, b) => a + b, 0);
        const top = (t: TraceSummary) => Object.entries(t.cpuByThread).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, seconds]) => `${name.replace(/ \d+$/, '')} ${seconds.toFixed(1)}`).join(', ');
        oursCpu.push(total(oursTrace));
        rawCpu.push(total(rawTrace));
        log(`  round ${round + 1}, CPU seconds: ours ${total(oursTrace).toFixed(1)} (${top(oursTrace)}), raw ${total(rawTrace).toFixed(1)} (${top(rawTrace)}); cores were contended ${(100 * (oursTrace.cpuPressure ?? 0)).toFixed(0)}% / ${(100 * (rawTrace.cpuPressure ?? 0)).toFixed(0)}% of the time`);
      }
      if (ran.type === 'ran') direct.push(ran.seconds);
      if (round === 0 && ran.type === 'ran') log(`  text (random weights): ours ${transcriber.segments.reduce((n, s) => n + s.text.length, 0)} characters, "${transcriber.segments[0]?.text.slice(0, 30)}…"; raw ${ran.text.length} characters, "${ran.text.trim().slice(0, 30)}…"`);
      log(`  round ${round + 1}: ours ${ours.at(-1)!.toFixed(1)} s, raw ${direct.at(-1)!.toFixed(1)} s`);
    }
    raw.terminate();
    const finals = transcriber.segments.filter((s) => s.final).length;
    const speech = transcriber.segments.reduce((sum, s) => sum + (s.end - s.start), 0);
    log(`audio: ${seconds.toFixed(1)} s (${speech.toFixed(1)} s of it in ${finals} speech segments); best of ${rounds} rounds`);
    log(`  slm-transcriber file path: ${min(ours).toFixed(1)} s, real-time factor ${(min(ours) / seconds).toFixed(3)} (goal <= 0.3)`);
    log(`  Transformers.js pipeline:  ${min(direct).toFixed(1)} s, real-time factor ${(min(direct) / seconds).toFixed(3)}`);
    log(`  ours / raw: ${(min(ours) / min(direct)).toFixed(3)} (overhead goal <= 1.05; ours skips silence, raw reads it all)`);
    if (oursCpu.length) log(`  ours / raw in CPU seconds: ${(min(oursCpu) / min(rawCpu)).toFixed(3)} (${min(oursCpu).toFixed(1)} s / ${min(rawCpu).toFixed(1)} s; not inflated by other processes)`);
    Object.assign(result, { ours, direct });
  }

  if (parts.includes('live')) Object.assign(result, await live(provider, transcriber, seconds));
  (window as unknown as { benchResult: unknown }).benchResult = result;
}

interface LongFrame {
  start: number;
  duration: number;
  blocking: number;
  scripts: string[];
}

interface TaskSummary {
  wallMs: number;
  cpuMs: number;
  what: string;
}

/** What run-bench.mjs reads from a Chromium trace of the live part (absent when the page runs alone). */
interface TraceSummary {
  cpuByThread: Record<string, number>;
  tasks: number;
  cpuSeconds: number;
  seconds: number;
  longestWall: TaskSummary | null;
  longestCpu: TaskSummary | null;
  overFiftyWall: number;
  overFiftyCpu: number;
  cpuPressure: number | null;
  error?: string;
}

declare global {
  interface Window {
    benchTrace?: (command: 'start' | 'stop') => Promise<TraceSummary | null>;
  }
}

/** Dictates the same audio through the fake microphone and watches the main thread meanwhile. */
async function live(provider: SlmProvider, transcriber: SlmTranscriber, seconds: number) {
  provider.engine.transcript.clear();
  await window.benchTrace?.('start');
  performance.mark('bench-trace-start');
  const liveStart = performance.now();
  const at = (t: number) => `${((t - liveStart) / 1000).toFixed(1)} s`;
  // Only tasks that begin from here on count: a task that began earlier (such as one the
  // page's own setup ran) would be delivered to this observer too, since entries are queued
  // when a task ends.
  let longestTask = 0;
  const tasks = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.startTime >= liveStart) longestTask = Math.max(longestTask, e.duration);
  });
  tasks.observe({ type: 'longtask', buffered: false });
  // Long Animation Frames say which scripts ran in a slow frame (Chromium 123+).
  const frames: LongFrame[] = [];
  const loaf = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { blockingDuration: number; scripts: Array<Record<string, unknown>> }>) {
      if (e.startTime < liveStart) continue;
      frames.push({
        start: e.startTime,
        duration: e.duration,
        blocking: e.blockingDuration,
        scripts: e.scripts.map((s) => `${String(s.invoker)} ${String(s.sourceURL).replace(location.origin, '')}:${String(s.sourceFunctionName)} ${Number(s.duration).toFixed(0)} ms`),
      });
    }
  });
  loaf.observe({ type: 'long-animation-frame', buffered: false });
  const gaps: Array<{ at: number; gap: number }> = [];
  let last = performance.now();
  let watching = true;
  const tick = () => {
    const now = performance.now();
    gaps.push({ at: last, gap: now - last });
    last = now;
    if (watching) setTimeout(tick, 10);
  };
  tick();
  const started = performance.now();
  await transcriber.start();
  const startMs = performance.now() - started;
  let partials = 0;
  const partialTimes: number[] = [];
  transcriber.addEventListener('slm-transcript', (e) => {
    if (e.detail.segment.final) return;
    partials++;
    partialTimes.push(performance.now());
  });
  const dictated = (Number(query.get('seconds')) || seconds) * 1000;
  await sleep(dictated + 1500);
  const stopping = performance.now();
  await transcriber.stop();
  const stopMs = performance.now() - stopping;
  await sleep(200);
  watching = false;
  performance.mark('bench-trace-end');
  tasks.disconnect();
  loaf.disconnect();
  const trace = await window.benchTrace?.('stop');
  const audit = transcriber.lastAudit!;
  const maxGap = Math.max(...gaps.map((g) => g.gap));
  const worstGaps = [...gaps].sort((a, b) => b.gap - a.gap).slice(0, 3);
  const worstFrame = [...frames].sort((a, b) => b.duration - a.duration)[0];
  const intervals = partialTimes.slice(1).map((t, i) => t - partialTimes[i]).sort((a, b) => a - b);
  log(`live dictation: ${(audit.produced / 16_000).toFixed(1)} s captured, ${audit.received === audit.produced ? 'every sample reached the segmenter' : `${audit.produced - audit.received} samples missing`}, ${transcriber.segments.filter((s) => s.final).length} final segments; start() took ${startMs.toFixed(0)} ms, the last final came ${(stopMs / 1000).toFixed(1)} s after stop()`);
  log(`  partial updates: ${partials}${intervals.length ? `, median ${(intervals[Math.floor(intervals.length / 2)] / 1000).toFixed(2)} s apart (goal 0.5–1 s while speaking)` : ''}`);
  log(`  Long Tasks API, longest: ${longestTask ? `${longestTask.toFixed(0)} ms` : 'none over 50 ms'}; longest gap between 10 ms timers: ${maxGap.toFixed(0)} ms (at ${worstGaps.map((g) => `${at(g.at)}: ${g.gap.toFixed(0)} ms`).join(', ')})`);
  if (trace && !trace.error && trace.longestCpu && trace.longestWall) {
    const pressure = trace.cpuPressure === null ? '' : `; some thread on this machine waited for a core ${(trace.cpuPressure * 100).toFixed(0)}% of the time`;
    log(`  main thread (trace): ${trace.tasks} tasks, ${trace.cpuSeconds.toFixed(1)} s on the CPU in ${trace.seconds.toFixed(0)} s${pressure}`);
    log(`  longest main-thread task by CPU time: ${trace.longestCpu!.cpuMs} ms (${trace.longestCpu!.wallMs} ms wall): ${trace.longestCpu!.what} (goal < 50 ms)`);
    log(`  longest by wall time: ${trace.longestWall!.wallMs} ms, of which ${trace.longestWall!.cpuMs} ms on the CPU (the rest waiting for a core): ${trace.longestWall!.what}; tasks over 50 ms: ${trace.overFiftyWall} by wall time, ${trace.overFiftyCpu} by CPU time`);
  } else if (trace) log(`  trace: ${trace.error ?? 'no main-thread tasks found'}`);
  if (query.has('verbose')) for (const f of frames) log(`    frame ${f.duration.toFixed(0)} ms (blocking ${f.blocking.toFixed(0)}) at ${at(f.start)}: ${f.scripts.join('; ')}`);
  log(`  long animation frames: ${frames.length}${worstFrame ? `; the longest, ${worstFrame.duration.toFixed(0)} ms at ${at(worstFrame.start)}, ran: ${worstFrame.scripts.join('; ') || 'no script (style, layout, paint or the browser)'}` : ''}`);
  return { longestTask, maxGap, frames: frames.length, startMs, partials, trace };
}

main().catch((error: unknown) => {
  log(`benchmark failed: ${String(error)}`);
  (window as unknown as { benchResult: unknown }).benchResult = { error: String(error) };
});

/**
 * Page load to first use, with models of the real sizes served by the bench's model host: the
 * first transcribed words of a dictation file handed over at once, the note's first model
 * update, and the first token of a chat question asked at once. `run-bench.mjs load` opens it
 * under DevTools network emulation, then reloads it in the same browser (warm: the models come
 * from Cache Storage). Times are from navigation start (`performance.now()`).
 */
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import '../../src/elements/slm-note/slm-note.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmNote } from '../../src/elements/slm-note/slm-note.js';
import type { LoadProgress, ModelRole } from '../../src/engine/types.js';

const query = new URLSearchParams(location.search);
const ASR = query.get('asr') ?? 'slm-test/whisper-base-size-random';
const LLM = query.get('llm') ?? 'slm-test/qwen2.5-0.5b-shape-random';
/** `parts=asr` loads the speech model alone (the slow-4G run, where the LLM would take an hour). */
const parts = (query.get('parts') ?? 'asr,llm').split(',');
const withLlm = parts.includes('llm');
/** The random weights never stop on their own: every answer is cut at this many tokens. */
const MAX_TOKENS = 8;
const AUDIO = '/test/fixtures/audio/dictation.wav';

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};
const at = () => Math.round(performance.now());

interface ModelTimes {
  bytes: number;
  /** The first byte of a model file in. */
  downloadStartMs: number | null;
  /** Every file in: the runtime builds its session from here. */
  downloadEndMs: number | null;
  /** The session is built: the warm-up run (shaders, buffers, the first decode) starts. */
  warmupStartMs: number | null;
  readyMs: number | null;
}

/** The page's own code is in (the module graph, over the emulated link) when this module runs. */
const shellMs = at();

/**
 * `parts=probe`: no model, only the link: the time one file of the probe's size takes, for
 * projecting a load that would take too long to run (slow 4G and hundreds of MB).
 */
async function probe() {
  const started = performance.now();
  const bytes = (await (await fetch('/bench-data/probe-8mb.bin', { cache: 'no-store' })).arrayBuffer()).byteLength;
  const ms = performance.now() - started;
  log(`probe: page code in at ${(shellMs / 1000).toFixed(1)} s; ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s (${((bytes * 8) / ms / 1000).toFixed(2)} Mbit/s)`);
  return { shellMs, probeBytes: bytes, probeMs: ms, probeMbps: (bytes * 8) / ms / 1000 };
}

async function main() {
  if (parts.includes('probe')) {
    (window as unknown as { benchResult: unknown }).benchResult = await probe();
    return;
  }
  const times: Record<string, number | null> = { firstWordsMs: null, noteModelUpdateMs: null, chatFirstTokenMs: null };
  const models: Partial<Record<ModelRole, ModelTimes>> = {};
  const provider = document.createElement('slm-provider') as SlmProvider;
  Object.assign(provider, { asr: ASR, asrDtype: 'q8', modelHost: new URL('/bench-models', location.href).href, device: 'wasm' });
  if (withLlm) Object.assign(provider, { llm: LLM, llmDtype: 'q4' });
  provider.addEventListener('slm-load-progress', (event) => {
    const progress = event.detail as LoadProgress & { role: ModelRole };
    const model = (models[progress.role] ??= { bytes: 0, downloadStartMs: null, downloadEndMs: null, warmupStartMs: null, readyMs: null });
    model.bytes = Math.max(model.bytes, progress.totalBytes);
    if (progress.loadedBytes > 0) model.downloadStartMs ??= at();
    if (progress.phase !== 'download') model.downloadEndMs ??= at();
    if (progress.phase === 'warmup') model.warmupStartMs ??= at();
  });
  provider.addEventListener('slm-ready', (event) => {
    const { role } = event.detail as { role: ModelRole };
    const model = models[role];
    if (model) model.readyMs ??= at();
  });

  const transcriber = document.createElement('slm-transcriber') as SlmTranscriber;
  transcriber.noShortcut = true;
  const note = document.createElement('slm-note') as SlmNote;
  note.debounce = 0;
  provider.append(transcriber, note);
  document.body.append(provider);

  const firstWords = new Promise<void>((resolve) => {
    const off = provider.session.on('slm-session-transcript', () => {
      if (!provider.session.transcript.segments.some((s) => s.text.trim())) return;
      times.firstWordsMs = at();
      off();
      resolve();
    });
  });
  const loading = provider.load().catch((error: unknown) => log(`load failed: ${String(error)}`));
  const audio = fetch(AUDIO).then((response) => response.blob());
  const transcribed = audio.then((blob) => transcriber.transcribeFile(blob));

  const waits: Promise<unknown>[] = [firstWords, transcribed, loading];
  if (withLlm) {
    // Answers are cut short; only their start (and the note dealing with one) is measured.
    const generate = provider.engine.generate.bind(provider.engine);
    provider.engine.generate = (messages, options = {}) => generate(messages, { ...options, maxTokens: Math.min(options.maxTokens ?? MAX_TOKENS, MAX_TOKENS) });
    const noteUpdate = new Promise<void>((resolve) => {
      const settle = () => {
        times.noteModelUpdateMs ??= at();
        resolve();
      };
      note.addEventListener('slm-note-change', (event) => (event as CustomEvent).detail.cause === 'model' && settle());
      // Random weights write no valid note: a refused answer is the note's model update too.
      note.addEventListener('slm-error', settle);
    });
    const chat = provider.engine.generate([{ role: 'user', content: 'Which antibiotic did we start?' }], {
      onToken: () => (times.chatFirstTokenMs ??= at()),
    });
    waits.push(noteUpdate, chat);
  }
  await Promise.all(waits);

  const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
  log(`${ASR} (q8)${withLlm ? ` and ${LLM} (q4)` : ''}, WASM, times from navigation start:`);
  log(`  first transcribed words   ${seconds(times.firstWordsMs)}`);
  if (withLlm) {
    log(`  note's first model update ${seconds(times.noteModelUpdateMs)}`);
    log(`  first chat token          ${seconds(times.chatFirstTokenMs)}`);
  }
  for (const [role, model] of Object.entries(models)) {
    log(`  ${role}: ${(model.bytes / 1e6).toFixed(0)} MB, download ${seconds(model.downloadStartMs)} → ${seconds(model.downloadEndMs)}, ${model.warmupStartMs === null ? 'no warm-up' : `session built ${seconds(model.warmupStartMs)}`}, ready ${seconds(model.readyMs)}`);
  }
  (window as unknown as { benchResult: unknown }).benchResult = { ...times, shellMs, models, asr: ASR, llm: withLlm ? LLM : null, maxTokens: MAX_TOKENS };
}

main().catch((error: unknown) => {
  log(`benchmark failed: ${String(error)}`);
  (window as unknown as { benchResult: unknown }).benchResult = { error: String(error) };
});

/// <reference lib="webworker" />
/**
 * Hosts one Transformers.js pipeline (a text generator, a speech recogniser or a sentence
 * embedder) off the main thread. The library is imported lazily, so starting the worker costs nothing until `load`.
 */
// First: it meters the WebAssembly heaps and GPU buffers the runtime makes from here on.
import { workerMemory } from './memory-meter.js';
import { SlmError } from '../../errors/slm-error.js';
import { classifyRuntimeError } from '../backends/runtime-errors.js';
import type { ModelHostConfig, ModelPlacement } from '../types.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';
import { useGpuFeatures, type GpuFeatures } from '../log-mel/gpu-feature-extractor.js';
import { PrefixCache } from './prefix-cache.js';
import { decodePrefix, encodePrefix, type PrefixOwner } from './prefix-record.js';
import { TokenStreamer } from './token-streamer.js';
import { freeDroppedGpuOutputs, type GpuOutputs } from './dropped-gpu-outputs.js';
import { configureTransformers } from './transformers-env.js';
import { ModelFiles } from '../model-files/model-files.js';
import { splitModelUrl } from '../model-files/integrity.js';
import { resetProviderDrops, watchProviderDrops, whyNotOnWebGpu } from './session-placement.js';
import { loadSpeechRecogniser, withTokenizer, UNREADABLE_FILE, type DeferredTokenizer, type Recogniser, type RecogniserOptions } from './speech-recogniser.js';
import type { DeferredSessions } from './deferred-sessions.js';

type Transformers = typeof import('@huggingface/transformers');
type Tensor = import('@huggingface/transformers').Tensor;
type DynamicCache = import('@huggingface/transformers').DynamicCache;
type Generator = Awaited<ReturnType<typeof import('@huggingface/transformers').pipeline<'text-generation'>>>;
type Extractor = Awaited<ReturnType<typeof import('@huggingface/transformers').pipeline<'feature-extraction'>>>;

declare const self: DedicatedWorkerGlobalScope;

let library: Transformers | null = null;
let placement: ModelPlacement | null = null;
let generator: Generator | null = null;
let recogniser: Recogniser | null = null;
/** The recogniser's tokenizer, built after the model is ready (see speech-recogniser.ts). */
let recogniserTokenizer: DeferredTokenizer | null = null;
/** Settles once the recogniser's sessions built after ready (its decoder's) are built; null where none wait. See `buildAfterReady`. */
let recogniserSessions: Promise<void> | null = null;
let extractor: Extractor | null = null;
/** Whisper's log-mel features on WebGPU, when the speech model runs there. */
let gpuFeatures: GpuFeatures | null = null;
/** The speech model's GPU outputs on WebGPU, freed when generation drops them (Transformers.js #1739). */
let gpuOutputs: GpuOutputs | null = null;
/** The language model's recent prompt caches; see prefix-cache.ts. */
let prefixes: PrefixCache | null = null;
/** Which model the caches belong to, checked before a stored cache is used. */
let owner: PrefixOwner | null = null;
/** Stop flags of running requests, keyed by request id. */
const running = new Map<number, { interrupt: () => void }>();

/** The end of the line of requests: each waits for the one before it. */
let busy: Promise<unknown> = Promise.resolve();
/** Requests waiting their turn; an abort for one of them means it never starts. */
const queued = new Set<number>();
const cancelled = new Set<number>();

const send = (message: WorkerResponse, transfer: Transferable[] = []) => self.postMessage(message, transfer);

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'abort') {
    if (queued.has(request.target)) cancelled.add(request.target);
    running.get(request.target)?.interrupt();
    return;
  }
  // One request at a time: a stopped request answers its caller at once, but the model
  // finishes its current step first, and two runs of one pipeline must never overlap.
  queued.add(request.id);
  const turn = busy.then(() => {
    queued.delete(request.id);
    if (cancelled.delete(request.id)) throw new SlmError('aborted', 'The request was cancelled before it started.');
    return handle(request);
  });
  busy = turn.catch(() => undefined);
  turn.then(
    // Vectors are handed over, not copied.
    (value) => send({ id: request.id, type: 'result', value }, request.type === 'embed' ? (value as Float32Array[]).map((v) => v.buffer) : []),
    (error: unknown) => {
      const phase = request.type === 'load' ? 'load' : request.type === 'transcribe' || request.type === 'embed' ? request.type : 'generate';
      const retry = error instanceof FreshWorkerMayHelp;
      const cause = retry ? error.original : error;
      const classified = classifyRuntimeError(cause, phase, placement?.modelId ?? 'the model', placement?.backend);
      send({ id: request.id, type: 'error', error: classified.toJSON(), ...(retry ? { retry } : {}) });
      // After running out of GPU memory, onnxruntime may carry on without WebGPU: then nothing
      // in this worker will use the GPU again, so the engine is told as of a lost device.
      if (classified.code === 'out-of-memory' && placement?.backend === 'webgpu') void reportIfOffWebGpu('after running out of GPU memory');
    },
  );
});

async function handle(request: Exclude<WorkerRequest, { type: 'abort' }>) {
  switch (request.type) {
    case 'load':
      await load(request.id, request.placement, request.host);
      return null;
    case 'generate':
      return generate(request);
    case 'transcribe':
      return transcribe(request);
    case 'embed':
      return embed(request);
    case 'export-prefix':
      return exportPrefix(request);
    case 'import-prefix':
      return importPrefix(request);
    case 'memory':
      // What the model holds once it is whole.
      await recogniserSessions;
      return workerMemory();
    case 'lose-device':
      (await runtimeDevice())?.destroy();
      return null;
    case 'unload':
      gpuFeatures?.dispose();
      gpuFeatures = null;
      gpuOutputs?.releaseAll();
      gpuOutputs = null;
      prefixes?.clear();
      prefixes = null;
      await (generator ?? recogniser ?? extractor)?.dispose();
      generator = recogniser = extractor = null;
      recogniserTokenizer = null;
      recogniserSessions = null;
      return null;
  }
}


async function load(id: number, target: ModelPlacement, host: ModelHostConfig): Promise<void> {
  placement = target;
  watchProviderDrops();
  resetProviderDrops();
  library ??= await import('@huggingface/transformers');
  const files = new ModelFiles(host, target.preset.integrity);
  files.onRetry = ({ url, attempt, of, delayMs }) =>
    send({ id, type: 'progress', progress: { type: 'retry', file: splitModelUrl(url)?.file ?? url, attempt, of, delayMs } });
  configureTransformers(library, host, files, target.backend);
  gpuFeatures?.dispose();
  gpuFeatures = null;
  const options = {
    device: target.backend,
    dtype: target.dtype,
    // Where no warm-up run follows a speech model's load, its decoder can be built after ready.
    deferDecoder: target.kind === 'asr' ? (modelType: string) => !worthWarmingUp(target, modelType) : undefined,
    progress_callback: (info: Record<string, unknown>) => {
      // Transformers.js sizes every file it expects before downloading (one-byte range
      // requests), so the total is right from the first report instead of growing file by file.
      if (info.status === 'progress_total' && info.files && typeof info.files === 'object') {
        const files = Object.entries(info.files as Record<string, { loaded: number; total: number }>).map(([file, f]) => ({
          file,
          loadedBytes: Number(f.loaded ?? 0),
          totalBytes: Number(f.total ?? 0),
        }));
        send({ id, type: 'progress', progress: { type: 'files', files } });
        return;
      }
      const file = typeof info.file === 'string' ? info.file : null;
      if (!file) return;
      if (info.status === 'initiate' || info.status === 'download' || info.status === 'progress' || info.status === 'done') {
        send({
          id,
          type: 'progress',
          progress: {
            type: 'file',
            file,
            loadedBytes: Number(info.loaded ?? 0),
            totalBytes: Number(info.total ?? 0),
            done: info.status === 'done',
          },
        });
      }
    },
  } as const;
  recogniserSessions = null;
  let deferred: DeferredSessions | null = null;
  try {
    deferred = await createPipeline(library, target, options, files);
    // Ready means kept: a reload (or going offline) right after finds every file in the cache.
    await files.cache?.settled();
  } catch (error) {
    // A file the runtime cannot read may be a damaged copy in the cache: none of this load's
    // files are kept, and if any came from the cache, the load is worth one more try from the
    // host. Not in this worker: after one failed session, Transformers.js refuses every other
    // (its chain of session creations stays rejected).
    if (!files.cache || !UNREADABLE_FILE.test(String(error))) throw error;
    const fromCache = files.cache.served.size > 0;
    await files.cache.discardLoaded(`the runtime could not read one of them: ${String(error)}`);
    throw fromCache ? new FreshWorkerMayHelp(error) : error;
  }
  // After the files are kept: a build that fails from here on fails readings, not this load.
  if (deferred) recogniserSessions = buildAfterReady(deferred, files);
  if (generator) {
    prefixes = new PrefixCache(library);
    owner = { modelId: target.modelId, revision: await revisionOf(host, generator.model.config), dtype: String(target.dtype) };
  } else if (recogniser && target.backend === 'webgpu') {
    // The model runs on the GPU, so its input features are made there too; any GPU trouble
    // leaves them to the CPU extractor, which stays underneath.
    gpuFeatures = await useGpuFeatures(library, recogniser.processor).catch(() => null);
  }
  gpuOutputs = recogniser && target.backend === 'webgpu' ? freeDroppedGpuOutputs(recogniser.model as never) : null;
  letMessagesIn((generator ?? recogniser ?? extractor)!.model as unknown as { forward: (...args: unknown[]) => Promise<unknown> });
  if (target.backend === 'webgpu') void watchDevice();
  // The first run compiles GPU shaders and sizes buffers; doing it now keeps that pause out
  // of the clinician's first dictation or question.
  if (worthWarmingUp(target, (recogniser?.model as { config?: { model_type?: string } } | undefined)?.config?.model_type)) {
    send({ id, type: 'progress', progress: { type: 'phase', phase: 'warmup' } });
    if (recogniser) await recogniserWithTokenizer();
    if (generator) await generator([{ role: 'user', content: 'Hi' }] as never, { max_new_tokens: 1 } as never);
    else if (extractor) await extractor('Hi', { pooling: 'mean', normalize: true });
    // One token: the point is compiling and sizing, and a model may loop on silence.
    else await recogniser?.(new Float32Array(1_600), { max_new_tokens: 1 } as never);
  }
  gpuOutputs?.releaseAll();
  // Placed on WebGPU but running elsewhere: once more in a fresh worker, which starts clean.
  const offWebGpu = target.backend === 'webgpu' ? await whyNotOnWebGpu(runtimeDevice()) : null;
  if (offWebGpu) {
    throw new FreshWorkerMayHelp(
      new SlmError('webgpu-unavailable', `${target.modelId} was placed on WebGPU, but ${offWebGpu}. Reload the page to use the GPU again, or choose device="wasm".`, { modelId: target.modelId }),
    );
  }
  // Once the ready answer is out, while nothing else asks for the thread: a reading asked for at
  // once waits for the same build.
  const tokenizer = recogniserTokenizer;
  if (tokenizer) setTimeout(() => void tokenizer.get().catch(() => undefined), 0);
}

/**
 * The recogniser with its tokenizer in place, built now if it was not yet. A tokenizer that cannot
 * be built leaves a model that cannot write out what it reads: that is a failed load, and the
 * engine loads the model afresh at its next use.
 */
async function recogniserWithTokenizer(): Promise<Recogniser> {
  if (!recogniser) throw new SlmError('not-loaded', 'No speech model is loaded in this worker.');
  await recogniserSessions;
  if (recogniserTokenizer) {
    const modelId = placement?.modelId ?? 'The speech model';
    await withTokenizer(recogniser, recogniserTokenizer).catch((error: unknown) => {
      throw new SlmError('model-load-failed', `${modelId}'s tokenizer could not be built, so its readings cannot be written out; it will be loaded again at the next reading. (${String(error)})`, { modelId, cause: error });
    });
  }
  if (!recogniser.tokenizer) throw new SlmError('model-load-failed', `${placement?.modelId ?? 'The speech model'} has no tokenizer (tokenizer.json) on the model host.`);
  return recogniser;
}

/**
 * Whether a warm-up run buys more than it costs. Not for Whisper on WASM: nothing compiles there,
 * and its encoder reads a whole 30 s window whatever the audio, so the warm-up is a full reading
 * that only delays readiness. Measured on a whisper-base-sized encoder (q8, one thread): the first
 * run took 3.6 s and later ones 2.6–2.8 s, so the warm-up saves the first dictation about 0.9 s
 * and costs the load 3.6 s. Moonshine reads 0.1 s of silence in a few milliseconds: kept.
 */
function worthWarmingUp(target: ModelPlacement, modelType: string | undefined): boolean {
  return !(modelType === 'whisper' && target.backend === 'wasm');
}

/** Tells the engine, as of a lost device, when the model placed on WebGPU no longer runs there. */
async function reportIfOffWebGpu(when: string): Promise<void> {
  const why = await whyNotOnWebGpu(runtimeDevice());
  if (why) self.postMessage({ id: 0, type: 'device-lost', reason: `${when}, ${why}` } satisfies WorkerResponse);
}

/** The GPU device onnxruntime runs on, once it made one; null on WASM or when it does not say. */
async function runtimeDevice(): Promise<GPUDevice | null> {
  const webgpu = (library?.env.backends.onnx as { webgpu?: { device?: Promise<GPUDevice> | GPUDevice } } | undefined)?.webgpu;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000));
  return (await Promise.race([Promise.resolve(webgpu?.device ?? null).catch(() => null), timeout])) ?? null;
}

/**
 * A lost GPU device is not always an error of the run in flight: onnxruntime may wait on it
 * forever, or fail later with an unrelated message. The device says so itself, and the engine
 * is told at once, so it can end this worker and load the model afresh.
 */
async function watchDevice(): Promise<void> {
  const device = await runtimeDevice();
  if (!device) return;
  const info = await device.lost;
  self.postMessage({ id: 0, type: 'device-lost', reason: info.message || info.reason || 'unknown' } satisfies WorkerResponse);
}

/** A load that failed on files now deleted from the cache: a fresh worker may load it from the host. */
class FreshWorkerMayHelp extends Error {
  constructor(readonly original: unknown) {
    super(String(original));
  }
}

/** The pipeline for the placement's kind, into the worker's one slot for it; a speech model's sessions still to be built, if any. */
async function createPipeline(library: Transformers, target: ModelPlacement, options: RecogniserOptions, files: ModelFiles): Promise<DeferredSessions | null> {
  if (target.kind === 'llm') generator = (await library.pipeline('text-generation', target.modelId, options as never)) as Generator;
  else if (target.kind === 'embed') extractor = (await library.pipeline('feature-extraction', target.modelId, options as never)) as Extractor;
  else {
    const loaded = await loadSpeechRecogniser(library, files, target.modelId, options);
    ({ recogniser, tokenizer: recogniserTokenizer } = loaded);
    return loaded.sessions;
  }
  return null;
}

/**
 * A speech model's decoder, built once the model's ready answer is out (a macrotask after it, and
 * before the tokenizer's build), while the clinician starts to speak: no reading needs it before
 * the encoder has read an utterance, and every reading waits for it. A build that fails here
 * would have failed the load: the model in this worker cannot read, so the worker ends itself
 * (an uncaught error, which the engine sees as a crashed worker: a reading waiting for the build
 * fails with `worker-crashed`, the model loads afresh in a fresh worker at the next reading, and an
 * utterance's final reading is asked again, see speech-pipeline.ts). A
 * cached file the runtime cannot read is deleted first, so that load fetches it from the host.
 */
function buildAfterReady(sessions: DeferredSessions, files: ModelFiles): Promise<void> {
  const modelId = placement?.modelId ?? 'The speech model';
  return new Promise<void>((resolve) => {
    setTimeout(() => {
      sessions.build().then(resolve, async (error: unknown) => {
        if (files.cache && UNREADABLE_FILE.test(String(error))) await files.cache.discardLoaded(`the runtime could not read one of them: ${String(error)}`).catch(() => undefined);
        // Never resolved: nothing in this worker reads again.
        setTimeout(() => {
          throw new Error(`${modelId}'s decoder could not be built once the model was ready (${String(error)})`);
        }, 0);
      });
    }, 0);
  });
}

/**
 * onnxruntime's WASM runs each step synchronously and the library chains steps with
 * promises only, so without this an `abort` message would wait until the whole answer was
 * done. A macrotask before a model step lets it in. It is taken at most every few
 * milliseconds: a tiny model steps in well under a millisecond, and a hop on every step
 * would cost it a quarter of its speed. A MessageChannel round trip is used because
 * setTimeout would be clamped to 4 ms.
 */
const YIELD_EVERY_MS = 8;

function letMessagesIn(model: { forward: (...args: unknown[]) => Promise<unknown> }): void {
  const forward = model.forward.bind(model);
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  let lastYield = performance.now();
  model.forward = async (...args: unknown[]) => {
    if (performance.now() - lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
      lastYield = performance.now();
    }
    return forward(...args);
  };
}

async function generate(request: Extract<WorkerRequest, { type: 'generate' }>) {
  if (!generator || !library || !prefixes) throw new SlmError('not-loaded', 'No language model is loaded in this worker.');
  const { InterruptableStoppingCriteria } = library;
  const stopping = new InterruptableStoppingCriteria();
  let interrupted = false;
  running.set(request.id, { interrupt: () => ((interrupted = true), stopping.interrupt()) });

  const started = performance.now();
  let text = '';
  const { tokens: streamer, flush } = streamTokens(request.id, generator.tokenizer, (piece) => (text += piece));
  // The pipeline's own steps (chat template, then tokens without added specials), done here so
  // the prompt's tokens can be matched against the caches of earlier prompts.
  const { tokenizer, model } = generator;
  const prompt = tokenizer.apply_chat_template(request.messages as never, { tokenize: false, add_generation_prompt: true }) as string;
  const inputs = tokenizer(prompt, { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
  const ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
  const key = request.cacheKey ?? '';
  const { cache, reused } = request.reusePrefix === false ? { cache: null, reused: 0 } : await prefixes.take(key, ids);
  try {
    const output = (await model.generate({
      ...inputs,
      ...(cache ? { past_key_values: cache } : {}),
      max_new_tokens: request.maxTokens,
      do_sample: request.temperature > 0,
      temperature: request.temperature > 0 ? request.temperature : undefined,
      streamer,
      stopping_criteria: stopping,
      return_dict_in_generate: true,
    } as never)) as { sequences: Tensor; past_key_values: DynamicCache };
    keepPrefix(key, output);
    flush();
    if (interrupted) throw new SlmError('aborted', 'Generation was stopped.');
    const completionTokens = streamer.tokens.length;
    const { firstTokenAt, promptTokens } = streamer;
    const ended = performance.now();
    const ttft = (firstTokenAt || ended) - started;
    return {
      text,
      finishReason: completionTokens >= request.maxTokens ? ('length' as const) : ('stop' as const),
      stats: {
        promptTokens,
        cachedPromptTokens: reused,
        completionTokens,
        timeToFirstTokenMs: ttft,
        prefillTokensPerSecond: ttft > 0 ? ((promptTokens - reused) * 1000) / ttft : 0,
        decodeTokensPerSecond: completionTokens > 1 && ended > firstTokenAt ? ((completionTokens - 1) * 1000) / (ended - firstTokenAt) : 0,
      },
    };
  } catch (error) {
    // A run that failed part-way may have left the cache half updated.
    await cache?.dispose();
    throw error;
  } finally {
    flush();
    running.delete(request.id);
  }
}

/**
 * Keeps the cache of the prompt and answer just read. It holds one token fewer than the
 * sequence: the last token generated was never fed back to the model.
 */
function keepPrefix(key: string, output: { sequences: Tensor; past_key_values: DynamicCache }): void {
  const length = output.past_key_values.get_seq_length();
  const ids = Array.from(output.sequences.data as BigInt64Array, Number).slice(0, length);
  prefixes?.put({ key, ids, cache: output.past_key_values });
}

/** The newest cache as bytes, to be kept with the visit; null when there is none. */
async function exportPrefix(request: Extract<WorkerRequest, { type: 'export-prefix' }>) {
  const entry = prefixes?.latest(request.key);
  if (!entry || !library || !owner) return null;
  return encodePrefix(library, entry, owner, request.precision);
}

/** A stored cache, checked against this model before anything of it is used. */
async function importPrefix(request: Extract<WorkerRequest, { type: 'import-prefix' }>) {
  if (!prefixes || !library || !owner) return { accepted: false, reason: 'no language model is loaded' };
  const restored = await decodePrefix(library, request.record, owner, request.key).catch((error: unknown) => ({ ok: false as const, reason: `it could not be read (${String(error)})` }));
  if (!restored.ok) return { accepted: false, reason: restored.reason };
  prefixes.put(restored.entry);
  return { accepted: true, tokens: restored.entry.ids.length };
}

/**
 * A model's revision as far as a cache is concerned: where it came from and its
 * configuration. The hub's "main" can move to new weights under the same id; a changed
 * configuration is the cheap sign of that.
 */
async function revisionOf(host: ModelHostConfig, config: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(`${host.host}\n${JSON.stringify(config)}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function transcribe(request: Extract<WorkerRequest, { type: 'transcribe' }>) {
  const started = performance.now();
  const recogniser = await recogniserWithTokenizer();
  if (!library) throw new SlmError('not-loaded', 'No speech model is loaded in this worker.');
  const durationSeconds = request.audio.length / 16_000;
  const model = recogniser.model as typeof recogniser.model & { generation_config?: { is_multilingual?: boolean } | null };
  const moonshine = model.config.model_type === 'moonshine';
  const multilingual = !moonshine && model.generation_config?.is_multilingual !== false;
  if (!multilingual) refuseOtherThanEnglish(request);
  const options = moonshine ? moonshineOptions(durationSeconds) : whisperOptions(request, durationSeconds, multilingual);
  const audio = moonshine ? padToAtLeast(request.audio, MOONSHINE_MIN_SAMPLES) : request.audio;
  // A reading that has become useless (a live preview overtaken by the pause's final reading)
  // is stopped at its next token, so the one that matters does not wait for it.
  const stopping = new library.InterruptableStoppingCriteria();
  let interrupted = false;
  running.set(request.id, { interrupt: () => ((interrupted = true), stopping.interrupt()) });
  const streamer = request.stream ? streamTokens(request.id, recogniser.tokenizer) : null;
  try {
    const output = (await recogniser(audio, { ...options, stopping_criteria: stopping, ...(streamer ? { streamer: streamer.tokens } : {}) } as never)) as { text: string } | Array<{ text: string }>;
    streamer?.flush();
    if (interrupted) throw new SlmError('aborted', 'The reading was stopped.');
    const text = Array.isArray(output) ? output.map((o) => o.text).join(' ') : output.text;
    return { text: text.trim(), durationSeconds, elapsedMs: performance.now() - started };
  } finally {
    // The text is decoded: nothing the model left on the GPU is used any more, even after an error.
    gpuOutputs?.releaseAll();
    running.delete(request.id);
  }
}

/**
 * A generation's or a reading's text as the model decodes it, in `token` messages (a long
 * speech window so shows its first words a token after the encoder; a long recording read in
 * 30 s chunks streams each chunk in turn, overlaps too: the result settles them). Pieces go out
 * together at most every few milliseconds: a reader cannot tell, and a fast model is spared a
 * message per token. `flush` sends what is left.
 */
function streamTokens(id: number, tokenizer: ConstructorParameters<typeof TokenStreamer>[0], onPiece?: (piece: string) => void) {
  let unsent = '';
  let lastSend = 0;
  const flush = () => {
    if (unsent) send({ id, type: 'token', text: unsent });
    unsent = '';
    lastSend = performance.now();
  };
  const tokens = new TokenStreamer(tokenizer, (piece) => {
    onPiece?.(piece);
    unsent += piece;
    if (performance.now() - lastSend >= YIELD_EVERY_MS) flush();
  });
  return { tokens, flush };
}

/** Mean-pooled, normalised sentence vectors: a dot product of two is their cosine similarity. */
async function embed(request: Extract<WorkerRequest, { type: 'embed' }>): Promise<Float32Array[]> {
  if (!extractor) throw new SlmError('not-loaded', 'No embedding model is loaded in this worker.');
  if (request.texts.length === 0) return [];
  const output = await extractor(request.texts, { pooling: 'mean', normalize: true });
  const [rows, width] = output.dims as [number, number];
  const data = output.data as Float32Array;
  return Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
}

/**
 * English-only models (Moonshine, Whisper's `.en` checkpoints) asked for another language or
 * for translation: ignoring that would hand back English, or an English reading of other
 * speech, as if it were what was asked for.
 */
function refuseOtherThanEnglish(request: Extract<WorkerRequest, { type: 'transcribe' }>): void {
  const english = !request.language || /^(en|english)(-|$)/i.test(request.language);
  if (english && request.task !== 'translate') return;
  const asked = request.task === 'translate' ? 'translate' : `transcribe "${request.language}"`;
  throw new SlmError('invalid-argument', `${placement?.modelId ?? 'This model'} transcribes English only, so it cannot ${asked}: choose a multilingual Whisper for that.`);
}

function whisperOptions(request: Extract<WorkerRequest, { type: 'transcribe' }>, durationSeconds: number, multilingual: boolean): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  // English-only checkpoints throw on any language or task option, even "en" or "transcribe".
  if (multilingual && request.language) options.language = request.language;
  if (multilingual && request.task) options.task = request.task;
  if (durationSeconds > 30) Object.assign(options, { chunk_length_s: 30, stride_length_s: 5 });
  // Whisper can fall into a loop on noise or silence and repeat itself to its 448-token limit,
  // which on a CPU is many seconds of a useless reading. OpenAI's reference decoder stops at 224
  // tokens per 30 s window, twice what the fastest dictation fills. The same limit whatever the
  // window's length: a limit scaled down to a short window could cut off a dense sentence (a drug,
  // a dose, a frequency in three seconds), and a cut reading loses words without a sign.
  options.max_new_tokens = WHISPER_MAX_TOKENS;
  return options;
}

const WHISPER_MAX_TOKENS = 224;

/**
 * Moonshine is English-only and reads the audio as long as it is (no 30 s window, so no
 * chunking options). Transformers.js caps it at 6 tokens per whole second, which gives a
 * 0.9 s "No." a single token; a live partial of a short utterance needs the fraction counted
 * and a floor.
 */
function moonshineOptions(durationSeconds: number): Record<string, unknown> {
  return { max_new_tokens: Math.max(MOONSHINE_MIN_TOKENS, Math.ceil(durationSeconds * 6)) };
}

const MOONSHINE_MIN_TOKENS = 6;
/** Moonshine's strided convolutions need 895 samples for one frame; shorter input makes onnxruntime throw. */
const MOONSHINE_MIN_SAMPLES = 1_600;

/** The audio, with silence after it up to `length` samples when it is shorter. */
function padToAtLeast(audio: Float32Array, length: number): Float32Array {
  if (audio.length >= length) return audio;
  const padded = new Float32Array(length);
  padded.set(audio);
  return padded;
}

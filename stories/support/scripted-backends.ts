import { nothing } from 'lit';
import { AsyncDirective, PartType, directive, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { AsrBackend, BackendProgress, LlmBackend, LoadOptions } from '../../src/engine/backends/backend.js';
import { phaseFromWebLlmReport } from '../../src/engine/backends/webllm-backend.js';
import type { ChatMessage, GenerateOptions, GenerationResult, ModelPlacement, TranscribeOptions, TranscriptionResult } from '../../src/engine/types.js';
import { SlmError, type SlmErrorCode } from '../../src/errors/slm-error.js';

/** One file a scripted load "downloads". */
export interface ScriptedFile {
  file: string;
  bytes: number;
}

/** How a scripted load fails. */
export interface ScriptedFailure {
  code: SlmErrorCode;
  /** Default: the message the real backend gives for that code. */
  message?: string;
  /** Share of the download (0..1) after which it fails; 0 (the default) fails on the first request. */
  atFraction?: number;
}

/** What a scripted model does. Every field has a realistic default. */
export interface ScriptedModel {
  /** Default: the files the placed model really has (config, tokenizer, weights), sized from its preset. */
  files?: ScriptedFile[];
  /** Seconds the whole download takes; wins over `bytesPerSecond`. */
  downloadSeconds?: number;
  /** Download rate (default 25 MB/s, a good connection), with some jitter as on a real network. */
  bytesPerSecond?: number;
  /**
   * How progress is reported: `files` as Transformers.js does (bytes per file, hence an
   * ETA), `webllm` as WebLLM does (one fraction and a line of text). Default: the placement's runtime.
   */
  progress?: 'files' | 'webllm';
  /** Building the inference session or the GPU shaders, after the download. */
  compileMs?: number;
  /** The first tiny run after loading. */
  warmupMs?: number;
  failWith?: ScriptedFailure;
  /** The language model's answer, or a function of the prompt that writes it; streamed in word pieces. */
  reply?: string | ((messages: ChatMessage[]) => string);
  /** Milliseconds between tokens (about 15 tokens/s by default, a small model on a laptop GPU). */
  tokenDelayMs?: number;
  /** What the speech model hears in any audio. */
  transcript?: string;
}

const MB = 1e6;
const TICK_MS = 100;
const CONNECT_MS = 250;

const defaultReply =
  'Dry cough for three days without fever; mild shortness of breath on exertion. Chest clear on auscultation, ' +
  'oxygen saturation 98 % on room air. Likely viral bronchitis: fluids, rest, and a review in one week if not improving.';

/**
 * A model that behaves like a real one on timers, for stories: files download with
 * progress, the session is prepared and warmed up, answers stream token by token, and
 * every wait stops when its signal fires. No runtime library, no model files, no GPU.
 */
class ScriptedModelBackend {
  protected loaded = false;

  constructor(protected readonly script: ScriptedModel = {}) {}

  async load(options: LoadOptions): Promise<void> {
    const { placement, onProgress, signal } = options;
    const style = this.script.progress ?? (placement.runtime === 'webllm' ? 'webllm' : 'files');
    const files = this.script.files ?? (style === 'webllm' ? webLlmFiles(placement) : transformersFiles(placement));
    const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const rate = this.script.downloadSeconds !== undefined ? totalBytes / Math.max(0.05, this.script.downloadSeconds) : (this.script.bytesPerSecond ?? 25 * MB);
    const failure = this.script.failWith;
    const failAt = failure ? Math.min(1, Math.max(0, failure.atFraction ?? 0)) : null;
    const fail = () => new SlmError(failure!.code, failure!.message ?? failureMessage(failure!.code, options), { modelId: placement.modelId });
    const started = performance.now();

    await sleep(CONNECT_MS, signal);
    if (failAt === 0) throw fail();
    const download = new SimulatedDownload(files, rate, seeded(totalBytes));
    // Every file is named with its size before the first byte, so the total (and with it the
    // bar and the ETA) is right from the start: the tracker never moves its bar backwards.
    if (style === 'files') for (const f of files) onProgress({ type: 'file', file: f.file, loadedBytes: 0, totalBytes: f.bytes, done: false });
    while (!download.finished) {
      await sleep(TICK_MS, signal);
      const changed = download.tick(TICK_MS / 1000);
      if (style === 'files') {
        for (const f of changed) onProgress({ type: 'file', file: f.file, loadedBytes: f.loaded, totalBytes: f.bytes, done: f.loaded >= f.bytes });
      } else {
        onProgress(webLlmReport(download, performance.now() - started));
      }
      if (failAt !== null && download.fraction >= failAt) throw fail();
    }

    const compileMs = this.script.compileMs ?? 600;
    if (style === 'webllm') {
      // WebLLM reports its shader compilation step by step; Transformers.js says nothing until warm-up.
      const steps = 8;
      for (let step = 1; step <= steps; step++) {
        await sleep(compileMs / steps, signal);
        onProgress(webLlmPhase(`Loading GPU shader modules[${step}/${steps}]: ${Math.round((step / steps) * 100)}% completed`, step / steps, started));
      }
      onProgress(webLlmPhase(`Finish loading on WebGPU - ${placement.modelId}`, 1, started));
    } else {
      await sleep(compileMs, signal);
      onProgress({ type: 'phase', phase: 'warmup' });
    }
    await sleep(this.script.warmupMs ?? 400, signal);
    this.loaded = true;
  }

  async unload(): Promise<void> {
    this.loaded = false;
  }

  protected assertLoaded(): void {
    if (!this.loaded) throw new SlmError('not-loaded', 'The scripted model is not loaded.');
  }
}

export class ScriptedLlmBackend extends ScriptedModelBackend implements LlmBackend {
  async generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const { signal, onToken, maxTokens } = options;
    this.assertLoaded();
    const requested = performance.now();
    const promptTokens = Math.max(1, Math.round(messages.reduce((sum, m) => sum + m.content.length, 0) / 4));
    // Prefill reads the whole prompt before the first token: a few hundred tokens a second.
    const prefillMs = 80 + promptTokens * 2.5;
    await sleep(prefillMs, signal);

    const reply = typeof this.script.reply === 'function' ? this.script.reply(messages) : this.script.reply;
    const all = tokenize(reply ?? defaultReply);
    const tokens = all.slice(0, maxTokens ?? all.length);
    const delay = this.script.tokenDelayMs ?? 65;
    const random = seeded(promptTokens);
    const firstTokenAt = performance.now();
    let text = '';
    for (const [index, token] of tokens.entries()) {
      if (index > 0) await sleep(delay * (0.7 + 0.6 * random()), signal);
      text += token;
      onToken?.(token);
    }
    const decodeSeconds = (performance.now() - firstTokenAt) / 1000;
    return {
      text,
      finishReason: tokens.length < all.length ? 'length' : 'stop',
      stats: {
        promptTokens,
        completionTokens: tokens.length,
        timeToFirstTokenMs: firstTokenAt - requested,
        prefillTokensPerSecond: promptTokens / (prefillMs / 1000),
        decodeTokensPerSecond: decodeSeconds > 0 ? (tokens.length - 1) / decodeSeconds : 0,
      },
    };
  }
}

export class ScriptedAsrBackend extends ScriptedModelBackend implements AsrBackend {
  async transcribe(audio: Float32Array, options: TranscribeOptions = {}): Promise<TranscriptionResult> {
    this.assertLoaded();
    const durationSeconds = audio.length / 16_000;
    // Whisper base on WebGPU runs at roughly a tenth of real time.
    const elapsedMs = Math.max(120, durationSeconds * 100);
    await sleep(elapsedMs, options.signal);
    return { text: this.script.transcript ?? 'Patient reports a dry cough for three days.', durationSeconds, elapsedMs };
  }
}

/** What a story's provider loads: scripted models for each kind, loaded at once or left idle. */
export interface EngineScript {
  llm?: ScriptedModel;
  asr?: ScriptedModel;
  /** Load the configured models as soon as the provider renders (default false: idle). */
  load?: boolean;
}

/**
 * `<slm-provider ${scriptedEngine({ llm: {…}, load: true })}>`: points the provider's
 * engine at scripted models through `engine.useBackends()` before it loads anything, loads
 * again when the story's controls change its models, and stops the scripted timers when
 * the story goes away.
 */
class ScriptedEngineDirective extends AsyncDirective {
  private provider: SlmProvider | null = null;
  private scriptKey = '';
  private script: EngineScript = {};

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('scriptedEngine() belongs on the <slm-provider> tag itself.');
  }

  render(_script: EngineScript) {
    return nothing;
  }

  override update(part: ElementPart, [script]: [EngineScript]) {
    const provider = part.element as SlmProvider;
    const key = JSON.stringify(script);
    if (provider !== this.provider || key !== this.scriptKey) {
      this.provider = provider;
      this.scriptKey = key;
      this.script = script;
      provider.engine.useBackends({ llm: () => new ScriptedLlmBackend(script.llm), asr: () => new ScriptedAsrBackend(script.asr) });
    }
    // Idempotent: a load in progress is shared, a changed model loads afresh.
    if (script.load) this.load();
    return nothing;
  }

  protected override disconnected(): void {
    void this.provider?.engine.dispose();
  }

  protected override reconnected(): void {
    if (this.script.load) this.load();
  }

  private load(): void {
    const provider = this.provider!;
    // After the provider's own update, so the attributes this render set are configured.
    // Failures are the story's subject: they show on the provider and as slm-error events.
    void provider.updateComplete.then(() => provider.load()).catch(() => undefined);
  }
}

export const scriptedEngine = directive(ScriptedEngineDirective);

/**
 * Bytes arriving over time the way a browser fetches a model: the small JSON files one
 * after another, then the weight files in parallel, sharing the connection.
 */
class SimulatedDownload {
  readonly files: Array<ScriptedFile & { loaded: number }>;
  private readonly total: number;

  constructor(
    files: ScriptedFile[],
    private readonly bytesPerSecond: number,
    private readonly random: () => number,
  ) {
    this.files = files.map((f) => ({ ...f, loaded: 0 }));
    this.total = files.reduce((sum, f) => sum + f.bytes, 0);
  }

  get loaded(): number {
    return this.files.reduce((sum, f) => sum + f.loaded, 0);
  }

  get fraction(): number {
    return this.total > 0 ? this.loaded / this.total : 1;
  }

  get finished(): boolean {
    return this.files.every((f) => f.loaded >= f.bytes);
  }

  /** Advances by `seconds`; returns the files that received bytes. */
  tick(seconds: number): SimulatedDownload['files'] {
    let budget = this.bytesPerSecond * seconds * (0.75 + 0.5 * this.random());
    const changed = new Set<SimulatedDownload['files'][number]>();
    while (budget > 0.5) {
      const active = this.active();
      if (active.length === 0) break;
      const share = budget / active.length;
      for (const f of active) {
        const take = Math.min(share, f.bytes - f.loaded);
        f.loaded = take === f.bytes - f.loaded ? f.bytes : f.loaded + Math.floor(take);
        budget -= take;
        changed.add(f);
      }
    }
    return [...changed];
  }

  private active() {
    const pending = this.files.filter((f) => f.loaded < f.bytes);
    const small = pending.find((f) => !isWeights(f.file));
    return small ? [small] : pending;
  }
}

const isWeights = (file: string) => /\.(onnx|onnx_data|bin|wasm)$/.test(file);

/** The files Transformers.js fetches for a model, with believable sizes. */
function transformersFiles(placement: ModelPlacement): ScriptedFile[] {
  const weights = placement.preset.downloadBytes || 300 * MB;
  const suffix: Record<ModelPlacement['dtype'], string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16', q4f32: '_q4', server: '' };
  const dtype = suffix[placement.dtype];
  const common = [
    { file: 'config.json', bytes: 1_300 },
    { file: 'generation_config.json', bytes: 240 },
    { file: 'tokenizer_config.json', bytes: 7_300 },
  ];
  if (placement.kind === 'asr') {
    return [
      ...common,
      { file: 'preprocessor_config.json', bytes: 340 },
      { file: 'tokenizer.json', bytes: 2_480_000 },
      { file: `onnx/encoder_model${dtype}.onnx`, bytes: Math.round(weights * 0.38) },
      { file: `onnx/decoder_model_merged${dtype}.onnx`, bytes: Math.round(weights * 0.62) },
    ];
  }
  return [...common, { file: 'tokenizer.json', bytes: 7_030_000 }, { file: `onnx/model${dtype}.onnx`, bytes: weights }];
}

/** WebLLM's cache: parameter shards of about 32 MB each. */
function webLlmFiles(placement: ModelPlacement): ScriptedFile[] {
  const weights = placement.preset.downloadBytes || 300 * MB;
  const shards = Math.max(1, Math.round(weights / (32 * MB)));
  return Array.from({ length: shards }, (_, i) => ({ file: `params_shard_${i}.bin`, bytes: Math.round(weights / shards) }));
}

/** WebLLM's own progress line, turned into a phase the way the real backend does. */
function webLlmReport(download: SimulatedDownload, elapsedMs: number): BackendProgress {
  const done = download.files.filter((f) => f.loaded >= f.bytes).length;
  const text =
    `Fetching param cache[${done}/${download.files.length}]: ${Math.round(download.loaded / MB)}MB fetched. ` +
    `${Math.round(download.fraction * 100)}% completed, ${Math.round(elapsedMs / 1000)} secs elapsed. ` +
    'It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.';
  return phaseFromWebLlmReport({ progress: download.fraction, timeElapsed: elapsedMs / 1000, text });
}

const webLlmPhase = (text: string, progress: number, started: number): BackendProgress =>
  phaseFromWebLlmReport({ progress, timeElapsed: (performance.now() - started) / 1000, text });

/** The message the real backends give (see `runtime-errors.ts`), for a scripted failure. */
function failureMessage(code: SlmErrorCode, { placement, host }: LoadOptions): string {
  const id = placement.modelId;
  const url = `${host.host.replace(/\/$/, '')}/${id}/resolve/main/config.json`;
  switch (code) {
    case 'model-host-unreachable':
      return `The model host could not be reached while loading ${id}. Check the model-host URL and the network. (TypeError: Failed to fetch ${url})`;
    case 'model-file-missing':
      return `A file of ${id} is missing on the model host. (Error: Could not locate file: "${url}")`;
    case 'webgpu-unavailable':
      return 'WebGPU was asked for (device="webgpu"), but this browser offers no WebGPU adapter. Use device="auto" to fall back to WASM, or device="wasm".';
    case 'out-of-memory':
      return `Not enough memory to run ${id}. Try a smaller model. (RangeError: Array buffer allocation failed)`;
    default:
      return `${id} could not be loaded (scripted ${code}).`;
  }
}

/** Word pieces of up to six letters, as a sub-word tokenizer would roughly cut them. */
function tokenize(text: string): string[] {
  return text.match(/\s?[\p{L}\p{N}]{1,6}|\s?[^\s\p{L}\p{N}]|\s+/gu) ?? [];
}

/** Waits, or rejects with `SlmError('aborted')` as soon as the signal fires. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new SlmError('aborted', 'The request was cancelled.');
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A small deterministic random source, so a story looks the same on every run. */
function seeded(seed: number): () => number {
  let state = Math.floor(seed) >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

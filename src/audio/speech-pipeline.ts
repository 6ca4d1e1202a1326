import { SlmError, isAbort, isModelLoss } from '../errors/slm-error.js';
import type { SlmEngine } from '../engine/slm-engine.js';
import type { TranscriptionResult } from '../engine/types.js';
import { ortPaths } from '../engine/ort-files.js';
import type { RecognitionWindow, SegmenterOptions } from './segmenter.js';
import { mergeOverlap, stablePrefix } from './transcript-text.js';
import type { TranscriptStore } from './transcript-store.js';
import type { SpeechWorkerMessage, SpeechWorkerRequest, VadKind } from './workers/speech-protocol.js';

/** The Silero model shipped beside the built package (copied from `@ricky0123/vad-web`). */
export const PACKAGED_VAD_MODEL = new URL('../vad/silero_vad_v5.onnx', import.meta.url).href;

export interface SpeechPipelineOptions {
  language?: string;
  task?: 'transcribe' | 'translate';
  vad?: VadKind;
  vadModelUrl?: string;
  segmenter?: SegmenterOptions;
  /** Prefix of segment ids; distinct per recording so ids never collide in one store. */
  idPrefix?: string;
  onError?: (error: SlmError) => void;
}

/**
 * From 16 kHz audio to transcript segments: the speech worker finds utterances, the engine's
 * speech model reads them (finals before partials, through the shared scheduler), and the
 * transcript store keeps the result. The same pipeline serves the microphone and files.
 */
export class SpeechPipeline {
  private worker: Worker | null = null;
  private readonly pending = new Set<Promise<void>>();
  /** The live preview being read, if any: stopped once a reading that supersedes it starts. */
  private partialInFlight: AbortController | null = null;
  private readonly lastHypothesis = new Map<string, string>();
  /** Each utterance's early final recognition (see `earlyFinal`), until its final or newer speech. */
  private readonly early = new Map<string, { start: number; end: number; result: Promise<TranscriptionResult>; controller: AbortController }>();
  private previousFinalText = '';
  private flushes = new Map<number, (samples: number) => void>();
  private nextFlush = 1;
  /** Pushed audio the worker has not segmented yet. */
  private queuedSamples = 0;
  /** `drain` callers, woken whenever the backlog shrinks. */
  private waiters: Array<() => void> = [];
  private crashed: SlmError | null = null;
  private readonly reportedErrors = new Set<string>();
  private previewFailed = false;
  /** Every window was recognised after the input ended: the worker is idle and can be reused. */
  private finished = false;
  private onWorkerMessage: ((event: MessageEvent<SpeechWorkerMessage>) => void) | null = null;
  private onWorkerError: ((event: ErrorEvent) => void) | null = null;
  /** The largest backlog so far: pushed samples not yet segmented, windows not yet recognised. */
  readonly peakBacklog = { queuedSamples: 0, pendingWindows: 0 };
  vad: VadKind | null = null;
  vadFallbackReason: string | undefined;

  constructor(
    private readonly engine: SlmEngine,
    private readonly store: TranscriptStore,
    private readonly options: SpeechPipelineOptions = {},
  ) {}

  async start(): Promise<void> {
    const worker = takeIdleWorker() ?? new Worker(new URL('./workers/speech-stream.worker.js', import.meta.url), { type: 'module', name: 'slm-speech' });
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
      this.onWorkerMessage = (event: MessageEvent<SpeechWorkerMessage>) => {
        const message = event.data;
        if (message.type === 'ready') {
          this.vad = message.vad;
          this.vadFallbackReason = message.fallbackReason;
          if (message.fallbackReason) {
            this.options.onError?.(new SlmError('vad-fallback', `Silero VAD could not load, so speech is detected by loudness alone: ${message.fallbackReason}`));
          }
          resolve();
        } else this.onMessage(message);
      };
      this.onWorkerError = (event: ErrorEvent) => {
        reject(new SlmError('worker-crashed', `The speech worker could not start: ${event.message}`));
        // A file reader waiting for room would otherwise wait forever.
        this.crashed = new SlmError('worker-crashed', `The speech worker stopped: ${event.message}`);
        this.wake();
      };
      worker.addEventListener('message', this.onWorkerMessage);
      worker.addEventListener('error', this.onWorkerError);
    });
    this.post({
      type: 'start',
      vad: this.options.vad ?? 'silero',
      vadModelUrl: this.options.vadModelUrl ?? PACKAGED_VAD_MODEL,
      wasmPaths: ortPaths('wasm', this.engine.options.wasmPaths),
      // Live, a final's recognition starts as soon as its window is complete, not when the pause ends it.
      segmenter: { earlyFinal: true, ...this.options.segmenter },
      idPrefix: this.options.idPrefix ?? `seg-${Date.now().toString(36)}`,
    });
    await ready;
  }

  /** A port the capture worklet writes 16 kHz blocks into, straight to the speech worker. */
  capturePort(): MessagePort {
    const channel = new MessageChannel();
    this.post({ type: 'port', port: channel.port2 }, [channel.port2]);
    return channel.port1;
  }

  /** 16 kHz samples from a file or any other source; `drain` first to keep memory bounded. */
  pushAudio(samples: Float32Array): void {
    const copy = samples.slice();
    this.queuedSamples += copy.length;
    this.peakBacklog.queuedSamples = Math.max(this.peakBacklog.queuedSamples, this.queuedSamples);
    this.post({ type: 'audio', samples: copy }, [copy.buffer]);
  }

  /**
   * Resolves once at most `maxQueuedSamples` of pushed audio wait to be segmented and at most
   * `maxPendingWindows` windows wait for the speech model. A file is read no faster than it
   * is recognised this way, so an hour of it takes the memory of a minute.
   *
   * By default no window may wait: the voice detector reads ahead only while the speech model
   * is idle. Side by side they compete for the same cores: on two cores (one model thread) a
   * 28 s window took 3.7–4.0 s with nothing beside it and 5.7–8.2 s with Silero reading ahead,
   * more than the detector's own time (about 1 s a window) that taking turns adds.
   */
  async drain(maxPendingWindows = 0, maxQueuedSamples = 8 * 16_000): Promise<void> {
    while (this.pending.size > maxPendingWindows || this.queuedSamples > maxQueuedSamples) {
      if (this.crashed) throw this.crashed;
      if (!this.worker) throw new SlmError('aborted', 'The speech pipeline was closed while audio was waiting.');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Started, not disposed, and its worker alive: it will answer `finish`. */
  get running(): boolean {
    return this.worker !== null && this.crashed === null;
  }

  /**
   * Ends the input: the open utterance becomes final, and this resolves once every window
   * has been recognised, with the number of samples the worker received. `portSamples`: what
   * the capture sent through `capturePort` in all, which the worker waits for.
   */
  async finish(portSamples?: number): Promise<number> {
    const id = this.nextFlush++;
    const samples = await new Promise<number>((resolve) => {
      this.flushes.set(id, resolve);
      this.post({ type: 'flush', id, portSamples });
    });
    while (this.pending.size) await Promise.allSettled([...this.pending]);
    this.finished = true;
    return samples;
  }

  /**
   * Lets the speech worker go. After a clean `finish`, it is kept warm for the next recording
   * or file: starting one compiles onnxruntime's WASM and loads Silero, seconds of CPU that
   * would otherwise compete with the speech model at the start of every recording.
   */
  dispose(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      if (this.onWorkerMessage) worker.removeEventListener('message', this.onWorkerMessage);
      if (this.onWorkerError) worker.removeEventListener('error', this.onWorkerError);
      if (this.finished && !this.crashed) keepIdleWorker(worker);
      else worker.terminate();
    }
    this.wake();
  }

  private post(message: SpeechWorkerRequest, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private onMessage(message: SpeechWorkerMessage): void {
    if (message.type === 'window') {
      const { window } = message;
      if (window.early) this.recogniseEarly(window);
      else this.track(window.final ? this.recogniseFinal(window) : this.recognisePartial(window));
    }
    else if (message.type === 'consumed') {
      this.queuedSamples -= message.samples;
      this.wake();
    } else if (message.type === 'flushed') {
      this.flushes.get(message.id)?.(message.samplesSeen);
      this.flushes.delete(message.id);
    } else if (message.type === 'error') this.options.onError?.(SlmError.fromJSON(message.error));
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    this.peakBacklog.pendingWindows = Math.max(this.peakBacklog.pendingWindows, this.pending.size);
    void work.finally(() => {
      this.pending.delete(work);
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * A model that fails on one window usually fails on every one (a setting it cannot honour,
   * a lost device): the app hears of each distinct failure once, not once per utterance.
   */
  private reportRecognitionError(error: unknown): void {
    const failure = asSlmError(error);
    const key = `${failure.code}: ${failure.message}`;
    if (this.reportedErrors.has(key)) return;
    this.reportedErrors.add(key);
    this.options.onError?.(failure);
  }

  /**
   * Starts reading a window that will be the utterance's final if the pause goes on: the final
   * then takes this result instead of waiting for the model from the pause's end.
   */
  private recogniseEarly(window: RecognitionWindow): void {
    this.dropEarly(window.segmentId);
    this.stopPartial();
    const controller = new AbortController();
    const result = this.engine.transcribe(window.audio, { priority: 'interactive', language: this.options.language, task: this.options.task, signal: controller.signal });
    this.early.set(window.segmentId, { start: window.start, end: window.end, result, controller });
    // Its failure, if it is used, is the final's to report.
    this.track(result.then(
      () => undefined,
      () => undefined,
    ));
  }

  /** Newer speech in the utterance: its early reading will not be the final, so it need not run. */
  private dropEarly(segmentId: string): void {
    this.early.get(segmentId)?.controller.abort();
    this.early.delete(segmentId);
  }

  /** Partials are a preview: while one is being read, newer ones are skipped, not queued. */
  private async recognisePartial(window: RecognitionWindow): Promise<void> {
    // The segmenter sends no partial after an early window until someone speaks again.
    this.dropEarly(window.segmentId);
    if (this.partialInFlight) return;
    const controller = new AbortController();
    this.partialInFlight = controller;
    try {
      const { text } = await this.transcribePartial(window.audio, controller.signal);
      const existing = this.store.get(window.segmentId);
      if (existing?.final) return;
      const previous = this.lastHypothesis.get(window.segmentId) ?? '';
      this.lastHypothesis.set(window.segmentId, text);
      this.store.upsert({ id: window.segmentId, text, start: window.start, end: window.end, final: false, stableText: stablePrefix(previous, text) });
    } catch (error) {
      if (!isAbort(error)) this.reportRecognitionError(error);
    } finally {
      if (this.partialInFlight === controller) this.partialInFlight = null;
    }
  }

  /**
   * The utterance's own final reading is starting: a preview still being read would only make
   * it wait for the model, and its text would be replaced at once.
   */
  private stopPartial(): void {
    this.partialInFlight?.abort();
    this.partialInFlight = null;
  }

  /**
   * On the engine's preview model when it has one; if that fails (cannot load, refuses the
   * language), the app hears why once and the main model writes the partials from then on.
   */
  private async transcribePartial(audio: Float32Array, signal: AbortSignal) {
    const options = { priority: 'background' as const, language: this.options.language, task: this.options.task, signal };
    if (this.engine.options.asrPreview && !this.previewFailed) {
      try {
        return await this.engine.transcribe(audio, { ...options, model: 'preview' });
      } catch (error) {
        if (isAbort(error)) throw error;
        this.previewFailed = true;
        const cause = asSlmError(error);
        this.options.onError?.(new SlmError(cause.code, `The preview speech model failed, so the main one writes the partials too: ${cause.message}`, { cause }));
      }
    }
    return this.engine.transcribe(audio, options);
  }

  private async recogniseFinal(window: RecognitionWindow): Promise<void> {
    const early = this.early.get(window.segmentId);
    const same = early !== undefined && early.start === window.start && early.end === window.end;
    if (same) this.early.delete(window.segmentId);
    else this.dropEarly(window.segmentId);
    this.stopPartial();
    // Streamed only where nothing of the utterance shows yet (a file's window, a live utterance too
    // short for a preview): a preview on screen is not replaced by the start of a reading.
    const onText = this.lastHypothesis.has(window.segmentId) ? undefined : (soFar: string) => this.showReading(window, soFar);
    let text: string;
    try {
      ({ text } = await this.readFinal(window, same ? early.result : null, onText));
    } catch (error) {
      // The utterance keeps the last thing heard of it; nothing said is dropped.
      text = this.lastHypothesis.get(window.segmentId) ?? '';
      this.reportRecognitionError(error);
    }
    if (window.overlap > 0) text = mergeOverlap(this.previousFinalText, text);
    this.previousFinalText = text;
    this.lastHypothesis.delete(window.segmentId);
    this.store.upsert({ id: window.segmentId, text, start: window.start, end: window.end, final: true, stableText: text });
  }

  /**
   * An utterance's final reading (the early one, if it is the same window). A reading that a dead
   * model worker or a lost GPU cut short is read again from the utterance's audio, which is still
   * here, once the engine has loaded the model afresh (it does so at the next reading after such a
   * failure): up to `FINAL_RETRIES` times. The app hears of the failure at once, told that the
   * utterance is being read again, and once more if the last try fails too.
   */
  private async readFinal(window: RecognitionWindow, early: Promise<TranscriptionResult> | null, onText: ((soFar: string) => void) | undefined): Promise<TranscriptionResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await (attempt === 0 && early ? early : this.engine.transcribe(window.audio, { priority: 'interactive', language: this.options.language, task: this.options.task, onText }));
      } catch (error) {
        const failure = asSlmError(error);
        if (isAbort(error) || !isModelLoss(failure) || attempt >= FINAL_RETRIES) throw error;
        this.reportRecognitionError(new SlmError(failure.code, `The speech model stopped while reading an utterance, so it is being loaded again and the utterance read again; nothing needs doing. (${failure.message})`, { cause: failure }));
      }
    }
  }

  /**
   * A final reading's words as they are decoded, shown as the utterance's partial (a file's first
   * window may be half a minute: its words appear a token after the encoder, not when it is all
   * read). They are also the last thing heard of it, should the reading fail before its end;
   * otherwise the final replaces them.
   */
  private showReading(window: RecognitionWindow, soFar: string): void {
    if (this.store.get(window.segmentId)?.final) return;
    const text = window.overlap > 0 ? mergeOverlap(this.previousFinalText, soFar) : soFar;
    const previous = this.lastHypothesis.get(window.segmentId) ?? '';
    // Text on screen never shrinks back to what it started with (the overlap merge can trim a start).
    if (!text || (text.length < previous.length && previous.startsWith(text))) return;
    this.lastHypothesis.set(window.segmentId, text);
    this.store.upsert({ id: window.segmentId, text, start: window.start, end: window.end, final: false, stableText: stablePrefix(previous, text) });
  }
}

/** One finished speech worker, kept for the next pipeline, and let go after a while unused. */
let idle: { worker: Worker; timer: ReturnType<typeof setTimeout> } | null = null;
const IDLE_WORKER_MS = 5 * 60_000;

function takeIdleWorker(): Worker | null {
  if (!idle) return null;
  clearTimeout(idle.timer);
  const { worker } = idle;
  idle = null;
  return worker;
}

function keepIdleWorker(worker: Worker): void {
  takeIdleWorker()?.terminate();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) takeIdleWorker()?.terminate();
  }, IDLE_WORKER_MS);
  idle = { worker, timer };
}

const asSlmError = (error: unknown) => SlmError.from(error, 'speech-failed');

/** How many times a final reading is read again after its model was lost, in a row (as a note update is, see note-builder.ts). */
const FINAL_RETRIES = 2;

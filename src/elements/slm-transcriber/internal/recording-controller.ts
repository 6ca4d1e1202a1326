import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MicrophoneCapture } from '../../../audio/microphone-capture.js';
import { SpeechPipeline, type SpeechPipelineOptions } from '../../../audio/speech-pipeline.js';
import type { TranscriptStore } from '../../../audio/transcript-store.js';
import type { SlmEngine } from '../../../engine/slm-engine.js';
import { SlmError } from '../../../errors/slm-error.js';
import { openAudioFile } from './open-audio-file.js';

export type RecordingState = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping' | 'file';

export interface CaptureAudit {
  /** 16 kHz samples the worklet produced (or read from a file). */
  produced: number;
  /**
   * For the microphone: 16 kHz samples' worth of audio its track delivered from its first
   * frame, pauses excluded, by the browser's count (Chromium; undefined elsewhere). `received`
   * falls short of it by what was lost, and exceeds it by the exact zeros Web Audio plays
   * before the track's first buffer arrives (tens of milliseconds).
   */
  captured?: number;
  /** Of `captured`, what the track delivered before the browser handed it to the page: lost, and not ours to keep. */
  missedAtStart?: number;
  /** Samples the speech worker received. */
  received: number;
  /** For a file: the most audio (16 kHz samples) and windows that were ever waiting at once. */
  peakBacklog?: { queuedSamples: number; pendingWindows: number };
}

/**
 * Microphone, speech pipeline and clock for one recording, as a Lit controller: the element
 * renders `state`, `elapsed`, `level` and `fileProgress`, and calls start/stop/pause.
 */
export class RecordingController implements ReactiveController {
  state: RecordingState = 'idle';
  level = 0;
  fileProgress: number | null = null;
  devices: MediaDeviceInfo[] = [];
  /** What the last recording captured and what reached the segmenter (they should match). */
  lastAudit: CaptureAudit | null = null;
  private mic: MicrophoneCapture | null = null;
  private pipeline: SpeechPipeline | null = null;
  private startedAt = 0;
  private pausedAt = 0;
  private pausedTotal = 0;
  private ticker = 0;
  private fileDone: Promise<void> | null = null;
  /** Ends the file being read after the block under way (`stop()` while reading a file). */
  private stopFile: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: () => SpeechPipelineOptions & { engine: SlmEngine | undefined; transcript: TranscriptStore | undefined; deviceId?: string },
    private readonly onError: (error: SlmError) => void,
  ) {
    host.addController(this);
  }

  /** Seconds recorded, pauses excluded. */
  get elapsed(): number {
    if (!this.startedAt) return 0;
    const now = this.state === 'paused' ? this.pausedAt : performance.now();
    return Math.max(0, (now - this.startedAt - this.pausedTotal) / 1000);
  }

  /** The browser holds the recording's audio suspended: nothing is captured until it resumes. */
  get suspended(): boolean {
    return this.mic?.suspended ?? false;
  }

  get microphoneId(): string | undefined {
    return this.mic?.deviceId;
  }

  hostDisconnected(): void {
    if (this.state === 'recording' || this.state === 'paused') void this.stop();
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    const { engine, transcript } = this.target();
    this.set('starting');
    const { deviceId, engine: _engine, transcript: _transcript, ...pipelineOptions } = this.options();
    const idPrefix = `rec-${Date.now().toString(36)}`;
    let gaps = 0;
    const pipeline = new SpeechPipeline(engine, transcript, { ...pipelineOptions, onError: this.onError, idPrefix });
    const mic = new MicrophoneCapture();
    try {
      await pipeline.start();
      mic.on('level', (level) => {
        this.level = level;
        this.host.requestUpdate();
      });
      // What was said before the microphone went is filed first; then the clinician is told.
      mic.on('ended', (error) => void this.stop().then(() => this.onError(error)));
      mic.on('suspended', () => this.host.requestUpdate());
      mic.on('gap', ({ at, seconds, silence }) => {
        transcript.upsert({ id: `${idPrefix}-gap-${++gaps}`, text: '', start: at, end: at + silence, final: true, gap: seconds });
        this.host.requestUpdate();
      });
      mic.on('devices', (devices) => {
        this.devices = devices;
        this.host.requestUpdate();
      });
      await mic.start(pipeline.capturePort(), { deviceId });
      this.devices = await mic.devices();
    } catch (error) {
      pipeline.dispose();
      await mic.stop();
      this.set('idle');
      throw error;
    }
    this.mic = mic;
    this.pipeline = pipeline;
    // Load the speech model now, so the first words are not kept waiting for it.
    engine.ensureLoaded('asr').catch(() => undefined);
    if (engine.has('preview')) engine.ensureLoaded('preview').catch(() => undefined);
    this.startedAt = performance.now();
    this.pausedTotal = 0;
    this.ticker = window.setInterval(() => this.host.requestUpdate(), 250);
    this.set('recording');
  }

  pause(paused: boolean): void {
    if (paused && this.state === 'recording') {
      this.mic?.pause(true);
      this.pausedAt = performance.now();
      this.set('paused');
    } else if (!paused && this.state === 'paused') {
      this.mic?.pause(false);
      this.pausedTotal += performance.now() - this.pausedAt;
      this.set('recording');
    }
  }

  /**
   * Stops recording: what was being said becomes a final segment. Reading a file stops too:
   * what was read is transcribed, and the rest is marked in the transcript as not transcribed.
   */
  async stop(): Promise<void> {
    if (this.state === 'file') {
      this.stopFile?.();
      await this.fileDone;
      return;
    }
    await this.stopRecording();
  }

  /** Stops a recording from the microphone only; a file being read goes on to its end (`settle()`). */
  async stopRecording(): Promise<void> {
    if (this.state !== 'recording' && this.state !== 'paused') return;
    this.set('stopping');
    const { mic, pipeline } = this;
    const { sent: produced, ...count } = (await mic?.finish()) ?? { sent: 0 };
    const received = (await pipeline?.finish(produced)) ?? 0;
    pipeline?.dispose();
    this.lastAudit = { produced, ...count, received };
    this.mic = this.pipeline = null;
    clearInterval(this.ticker);
    this.level = 0;
    this.set('idle');
  }

  async switchMicrophone(deviceId: string): Promise<void> {
    if (!this.mic) return;
    await this.mic.switchDevice(deviceId);
    this.host.requestUpdate();
  }

  /**
   * Transcribes a recording through the same pipeline, with progress. The file is read only
   * as fast as it is recognised, so its length does not decide the memory used. If reading
   * fails midway, what was read is still transcribed before the failure is reported.
   */
  async transcribeFile(file: Blob): Promise<void> {
    if (this.state !== 'idle') throw new SlmError('invalid-argument', 'Stop recording before transcribing a file.');
    const { engine, transcript } = this.target();
    this.set('file');
    // Set before the first await: Stop while the file is still being opened stops it too.
    let stopped = false;
    this.stopFile = () => (stopped = true);
    this.fileProgress = 0;
    let pipeline: SpeechPipeline | null = null;
    const pipelineId = `file-${Date.now().toString(36)}`;
    let done = () => {};
    this.fileDone = new Promise<void>((resolve) => (done = resolve));
    try {
      const source = await openAudioFile(file);
      const { engine: _engine, transcript: _transcript, ...options } = this.options();
      pipeline = new SpeechPipeline(engine, transcript, {
        ...options,
        // Nobody watches a file being read word by word: finals only. Without partials the
        // segmenter lets utterances share a window up to 28 s, cut at the last pause, rather
        // than each paying for a whole one: Whisper pads every window to 30 s.
        segmenter: { partialEveryMs: 0, ...options.segmenter },
        onError: this.onError,
        idPrefix: pipelineId,
      });
      await pipeline.start();
      let read = 0;
      let failure: unknown = null;
      try {
        for await (const block of source.blocks) {
          await pipeline.drain();
          if (stopped) break;
          pipeline.pushAudio(block);
          read += block.length;
          this.fileProgress = Math.min(0.99, read / source.samples);
          this.host.requestUpdate();
        }
      } catch (error) {
        failure = error;
      }
      // What was read before a failure is still transcribed, unless the worker itself is gone.
      const received = pipeline.running ? await pipeline.finish() : 0;
      this.lastAudit = { produced: read, received, peakBacklog: { ...pipeline.peakBacklog } };
      if (failure) throw failure;
      if (stopped && read < source.samples) {
        // Someone chose to stop; a reader of the transcript must still see that it ends early.
        const at = read / 16_000;
        transcript.upsert({ id: `${pipelineId}-stopped`, text: '', start: at, end: at, final: true, gap: (source.samples - read) / 16_000, gapCause: 'stopped' });
      }
      // The bar is seen full before it goes.
      this.fileProgress = 1;
      this.host.requestUpdate();
      await this.host.updateComplete;
    } finally {
      pipeline?.dispose();
      this.stopFile = null;
      this.fileDone = null;
      done();
      this.set('idle');
    }
  }

  /** Ends what is under way and resolves once every word of it is in the transcript: a recording stops, a file is read to its end. */
  async settle(): Promise<void> {
    await this.stopRecording();
    await this.fileDone;
  }

  private target(): { engine: SlmEngine; transcript: TranscriptStore } {
    const { engine, transcript } = this.options();
    if (!engine || !transcript) throw new SlmError('not-loaded', 'Put <slm-transcriber> inside an <slm-provider> that names a speech model (asr="…").');
    return { engine, transcript };
  }

  private set(state: RecordingState): void {
    this.state = state;
    this.host.requestUpdate();
    (this.host as unknown as HTMLElement).dispatchEvent(new CustomEvent('slm-recording-change', { detail: { state }, bubbles: true, composed: true }));
  }
}

/**
 * Runs on the audio thread: mixes the microphone to mono, resamples it to 16 kHz and sends
 * it in blocks straight to the speech worker through a MessagePort, so capture costs the
 * page's main thread nothing. The level meter gets a few numbers a second on the node's port.
 */
import { CAPTURE_BLOCK_SAMPLES } from './capture-block.js';
import { StreamResampler, downmix, rms } from './resampler.js';

declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new (options: { processorOptions?: CaptureOptions }) => AudioWorkletProcessor): void;

interface CaptureOptions {
  /** Samples (at 16 kHz) per block sent to the worker. */
  blockSamples?: number;
}

type CaptureRequest = { type: 'port'; port: MessagePort } | { type: 'pause'; paused: boolean } | { type: 'finish'; now?: boolean } | { type: 'gap'; seconds: number };

/**
 * Silence put into the recording where audio was lost (the context was suspended): longer
 * than the segmenter's end-of-utterance pause, so words from before and after the gap are
 * never joined into one segment.
 */
const GAP_SILENCE_SAMPLES = 16_000;

/**
 * After the microphone stops, its source node plays out what Web Audio still buffered (up
 * to 0.1 s in Chromium), then exact zeros, as it does whenever it has nothing to give. This
 * much unbroken zero ends the recording; shorter runs are buffers late on a busy machine
 * (up to 0.11 s was seen), and are kept.
 */
const END_SILENCE_SECONDS = 0.15;
/** The most a recording's end waits for the buffered audio, should the zeros never come. */
const END_LIMIT_SECONDS = 1;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamResampler(sampleRate, 16_000);
  private readonly blockSamples: number;
  private block: Float32Array;
  private filled = 0;
  private out: MessagePort | null = null;
  private paused = false;
  /** 16 kHz samples sent: the worker waits for this many before it ends the recording. */
  private produced = 0;
  /** Once the recording is ending: input frames since, and the zeros among them held back. */
  private ending: { frames: number; heldZeros: number } | null = null;
  private finished = false;
  private levelSum = 0;
  private levelCount = 0;
  private lastLevelAt = 0;

  constructor(options: { processorOptions?: CaptureOptions }) {
    super();
    this.blockSamples = options.processorOptions?.blockSamples ?? CAPTURE_BLOCK_SAMPLES;
    this.block = new Float32Array(this.blockSamples);
    this.port.onmessage = (event: MessageEvent<CaptureRequest>) => {
      const message = event.data;
      if (message.type === 'port') this.out = message.port;
      else if (message.type === 'pause') this.paused = message.paused;
      else if (message.type === 'gap') {
        if (!this.finished && !this.ending) this.markGap(message.seconds);
      } else if (this.finished) return;
      // Paused input is dropped anyway, so there is nothing buffered to wait for.
      else if (message.now || this.paused) this.finish();
      else this.ending ??= { frames: 0, heldZeros: 0 };
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (this.ending) return this.processEnding(input);
    if (!input || input.length === 0 || this.paused || this.finished) return true;
    this.capture(downmix(input));
    return true;
  }

  /**
   * The microphone is stopping: what Web Audio still holds is kept, the zeros its source plays
   * afterwards are not, and once they run unbroken for END_SILENCE_SECONDS the recording ends.
   */
  private processEnding(input: Float32Array[] | undefined): boolean {
    const ending = this.ending!;
    const mono = input && input.length > 0 ? downmix(input) : new Float32Array(128);
    ending.frames += mono.length;
    if (mono.every((v) => v === 0)) ending.heldZeros += mono.length;
    else {
      // The zeros were a gap inside the buffered audio, not its end: they belong to it.
      if (ending.heldZeros > 0) this.capture(new Float32Array(ending.heldZeros));
      ending.heldZeros = 0;
      this.capture(mono);
    }
    if (ending.heldZeros >= END_SILENCE_SECONDS * sampleRate || ending.frames >= END_LIMIT_SECONDS * sampleRate) this.finish();
    return true;
  }

  /** Closes the utterance the gap cut off and says where on the recording's timeline the gap lies. */
  private markGap(seconds: number): void {
    const at = (this.produced + this.filled) / 16_000;
    this.append(new Float32Array(GAP_SILENCE_SAMPLES));
    this.port.postMessage({ type: 'gap', at, seconds, silence: GAP_SILENCE_SAMPLES / 16_000 });
  }

  /** Sends what is left, the resampler's held-back tail included, and reports the total. */
  private finish(): void {
    this.ending = null;
    this.finished = true;
    this.append(this.resampler.flush());
    this.send();
    this.port.postMessage({ type: 'finished', produced: this.produced });
  }

  private capture(mono: Float32Array): void {
    const level = rms(mono);
    this.levelSum += level * level;
    this.levelCount++;
    this.append(this.resampler.push(mono));
    // currentTime is not declared in this scope's types; frames give the same clock.
    this.lastLevelAt += mono.length;
    if (this.lastLevelAt >= sampleRate / 20) {
      this.port.postMessage({ type: 'level', level: Math.sqrt(this.levelSum / this.levelCount), produced: this.produced });
      this.lastLevelAt = this.levelSum = this.levelCount = 0;
    }
  }

  private append(resampled: Float32Array): void {
    let offset = 0;
    while (offset < resampled.length) {
      const take = Math.min(resampled.length - offset, this.blockSamples - this.filled);
      this.block.set(resampled.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockSamples) this.send();
    }
  }

  private send(): void {
    if (this.filled === 0) return;
    const samples = this.block.slice(0, this.filled);
    this.produced += samples.length;
    this.out?.postMessage({ samples }, [samples.buffer]);
    this.filled = 0;
  }
}

registerProcessor('slm-capture', CaptureProcessor);

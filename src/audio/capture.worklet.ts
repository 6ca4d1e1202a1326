/**
 * Runs on the audio thread: mixes the microphone to mono, resamples it to 16 kHz and sends
 * it in blocks straight to the speech worker through a MessagePort, so capture costs the
 * page's main thread nothing. The level meter gets a few numbers a second on the node's port.
 */
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

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new StreamResampler(sampleRate, 16_000);
  private readonly blockSamples: number;
  private block: Float32Array;
  private filled = 0;
  private out: MessagePort | null = null;
  private paused = false;
  /** 16 kHz samples sent: the count the "nothing lost" check compares. */
  private produced = 0;
  private levelSum = 0;
  private levelCount = 0;
  private lastLevelAt = 0;

  constructor(options: { processorOptions?: CaptureOptions }) {
    super();
    this.blockSamples = options.processorOptions?.blockSamples ?? 2048;
    this.block = new Float32Array(this.blockSamples);
    this.port.onmessage = (event: MessageEvent<{ type: 'port'; port: MessagePort } | { type: 'pause'; paused: boolean } | { type: 'flush' }>) => {
      const message = event.data;
      if (message.type === 'port') this.out = message.port;
      else if (message.type === 'pause') this.paused = message.paused;
      else if (message.type === 'flush') {
        this.send();
        this.port.postMessage({ type: 'flushed', produced: this.produced });
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (!input || input.length === 0 || this.paused) return true;
    const mono = downmix(input);
    const level = rms(mono);
    this.levelSum += level * level;
    this.levelCount++;
    const resampled = this.resampler.push(mono);
    let offset = 0;
    while (offset < resampled.length) {
      const take = Math.min(resampled.length - offset, this.blockSamples - this.filled);
      this.block.set(resampled.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockSamples) this.send();
    }
    // currentTime is not declared in this scope's types; frames give the same clock.
    this.lastLevelAt += mono.length;
    if (this.lastLevelAt >= sampleRate / 20) {
      this.port.postMessage({ type: 'level', level: Math.sqrt(this.levelSum / this.levelCount), produced: this.produced });
      this.lastLevelAt = this.levelSum = this.levelCount = 0;
    }
    return true;
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

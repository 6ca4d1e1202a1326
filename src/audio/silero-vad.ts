import type { InferenceSession, Tensor } from 'onnxruntime-common';

type Ort = typeof import('onnxruntime-common');

/** Silero v5 reads 512 new samples at 16 kHz plus the last 64 of the previous frame. */
export const SILERO_FRAME = 512;
const CONTEXT = 64;

/**
 * Silero VAD v5 (the model file shipped in `@ricky0123/vad-web`), run with onnxruntime-web
 * in the speech worker. Real weights: the one pretrained model this project can ship.
 */
export class SileroVad {
  private state: Tensor;
  private context = new Float32Array(CONTEXT);

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly sampleRate: Tensor,
  ) {
    this.state = SileroVad.zeroState(ort);
  }

  static async load(ort: Ort, modelUrl: string): Promise<SileroVad> {
    const response = await fetch(modelUrl);
    if (!response.ok) throw new Error(`The VAD model could not be fetched from ${modelUrl}: ${response.status}`);
    const session = await ort.InferenceSession.create(new Uint8Array(await response.arrayBuffer()), { executionProviders: ['wasm'] });
    return new SileroVad(ort, session, new ort.Tensor('int64', BigInt64Array.from([16000n])));
  }

  private static zeroState(ort: Ort): Tensor {
    return new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }

  /** Probability (0..1) that this 512-sample frame is speech. */
  async probability(frame: Float32Array): Promise<number> {
    const input = new Float32Array(CONTEXT + frame.length);
    input.set(this.context);
    input.set(frame, CONTEXT);
    this.context = frame.slice(-CONTEXT);
    const out = await this.session.run({
      input: new this.ort.Tensor('float32', input, [1, input.length]),
      state: this.state,
      sr: this.sampleRate,
    });
    this.state = out.stateN as Tensor;
    return (out.output as Tensor).data[0] as number;
  }

  reset(): void {
    this.state = SileroVad.zeroState(this.ort);
    this.context = new Float32Array(CONTEXT);
  }
}

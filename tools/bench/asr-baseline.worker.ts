/// <reference lib="webworker" />
/**
 * The benchmark's baseline: Transformers.js's own speech pipeline, configured like ours
 * (same host, WASM files and thread count), in a worker of its own as ours is, so that
 * neither runs on the page's main thread and the two compare like for like.
 */
import { configureTransformers } from '../../src/engine/workers/transformers-env.js';
import type { ModelDtype, ModelHostConfig } from '../../src/engine/types.js';

declare const self: DedicatedWorkerGlobalScope;

export type BaselineRequest =
  /**
   * `libraryBuild`: onnxruntime's build as Transformers.js picks it (asyncify, on every device), as a page calling
   * the library directly gets it; otherwise the build the engine picks for WASM (the plain one), like for like.
   */
  | { type: 'load'; model: string; dtype: ModelDtype; host: ModelHostConfig; warmup: Float32Array; libraryBuild?: boolean }
  | { type: 'run'; audio: Float32Array }
  /** One reading of exactly `tokens` new tokens (random weights rarely stop by themselves). */
  | { type: 'read'; audio: Float32Array; tokens: number };
export type BaselineResponse = { type: 'loaded' } | { type: 'ran'; seconds: number; text: string } | { type: 'error'; message: string };

type Recogniser = ((audio: Float32Array, options?: unknown) => Promise<RecogniserOutput>) & { model: { config: { model_type: string } } };
type RecogniserOutput = { text: string } | Array<{ text: string }>;
let recogniser: Recogniser | null = null;
let moonshine = false;
const MOONSHINE_PIECE = 30 * 16_000;
const textOf = (output: RecogniserOutput) => (Array.isArray(output) ? output.map((o) => o.text).join(' ') : output.text);

self.addEventListener('message', (event: MessageEvent<BaselineRequest>) => {
  handle(event.data).then(
    (response) => self.postMessage(response),
    (error: unknown) => self.postMessage({ type: 'error', message: String(error) } satisfies BaselineResponse),
  );
});

async function handle(request: BaselineRequest): Promise<BaselineResponse> {
  if (request.type === 'load') {
    const transformers = await import('@huggingface/transformers');
    configureTransformers(transformers, request.host, undefined, request.libraryBuild ? undefined : 'wasm');
    recogniser = (await transformers.pipeline('automatic-speech-recognition', request.model, { device: 'wasm', dtype: request.dtype as 'fp32' | 'q8' })) as unknown as Recogniser;
    moonshine = recogniser.model.config.model_type === 'moonshine';
    await recogniser(request.warmup);
    return { type: 'loaded' };
  }
  if (!recogniser) throw new Error('not loaded');
  const started = performance.now();
  if (request.type === 'read') {
    const output = await recogniser(request.audio, { max_new_tokens: request.tokens, min_new_tokens: request.tokens });
    return { type: 'ran', seconds: (performance.now() - started) / 1000, text: textOf(output) };
  }
  const texts: string[] = [];
  if (moonshine) {
    // Transformers.js has no chunking for Moonshine and would read two minutes in one pass,
    // which it was not made for: 30 s pieces, as a simple caller would cut them.
    for (let at = 0; at < request.audio.length; at += MOONSHINE_PIECE) texts.push(textOf(await recogniser(request.audio.subarray(at, at + MOONSHINE_PIECE))));
  } else texts.push(textOf(await recogniser(request.audio, { chunk_length_s: 30, stride_length_s: 5 })));
  const seconds = (performance.now() - started) / 1000;
  return { type: 'ran', seconds, text: texts.join(' ') };
}

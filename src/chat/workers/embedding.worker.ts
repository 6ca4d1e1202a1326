/// <reference lib="webworker" />
/**
 * Sentence embeddings for the chat router, with a Transformers.js feature-extraction model on
 * WASM: small enough that the CPU answers in milliseconds and the GPU stays free for the LLM.
 */
import type { ModelHostConfig } from '../../engine/types.js';
import { configureTransformers } from '../../engine/workers/transformers-env.js';

export type EmbeddingRequest = { type: 'load'; model: string; host: ModelHostConfig } | { type: 'embed'; id: number; texts: string[] };
export type EmbeddingReply = { type: 'loaded' } | { type: 'embedded'; id: number; vectors: Float32Array[] } | { type: 'failed'; id?: number; message: string; status?: number };

type Extractor = Awaited<ReturnType<typeof import('@huggingface/transformers').pipeline<'feature-extraction'>>>;
let extractor: Promise<Extractor> | null = null;

const reply = (message: EmbeddingReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.addEventListener('message', (event: MessageEvent<EmbeddingRequest>) => {
  const request = event.data;
  if (request.type === 'load') {
    extractor = (async () => {
      const transformers = await import('@huggingface/transformers');
      configureTransformers(transformers, request.host);
      return transformers.pipeline('feature-extraction', request.model, { device: 'wasm', dtype: 'fp32' });
    })();
    extractor.then(
      () => reply({ type: 'loaded' }),
      (error: unknown) => reply({ type: 'failed', message: String((error as Error)?.message ?? error) }),
    );
    return;
  }
  void (async () => {
    try {
      if (!extractor) throw new Error('No embedding model is loaded.');
      const output = await (await extractor)(request.texts, { pooling: 'mean', normalize: true });
      const [rows, width] = output.dims as [number, number];
      const data = output.data as Float32Array;
      const vectors = Array.from({ length: rows }, (_, i) => data.slice(i * width, (i + 1) * width));
      reply({ type: 'embedded', id: request.id, vectors }, vectors.map((v) => v.buffer));
    } catch (error) {
      reply({ type: 'failed', id: request.id, message: String((error as Error)?.message ?? error) });
    }
  })();
});

/**
 * How a scripted model worker behaves once loaded: `answers` every generation; `closes`
 * itself on the first one, as a crashed worker does, without a word; `stalls-once` never
 * answers its first generation (a wedged WASM or WebGPU call) and answers later ones;
 * `trickles` answers slowly, one token every `tokenEveryMs`, for `tokens` tokens.
 */
export type ScriptedBehaviour = 'answers' | 'closes' | 'stalls-once' | 'trickles';

/** Speaks the worker protocol of `src/engine/workers/protocol.ts`, with no model at all. */
const source = `
const [behaviour, tokens, every] = self.name.split(':');
let generations = 0;
const result = (id, text) => self.postMessage({ id, type: 'result', value: { text, finishReason: 'stop',
  stats: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 1, prefillTokensPerSecond: 1, decodeTokensPerSecond: 1 } } });
self.onmessage = async ({ data }) => {
  if (data.type === 'load' || data.type === 'unload') return self.postMessage({ id: data.id, type: 'result', value: null });
  if (data.type !== 'generate') return;
  generations++;
  if (behaviour === 'closes') return self.close();
  if (behaviour === 'stalls-once' && generations === 1) return;
  if (behaviour === 'trickles') {
    for (let i = 0; i < Number(tokens); i++) {
      await new Promise((resolve) => setTimeout(resolve, Number(every)));
      self.postMessage({ id: data.id, type: 'token', text: 'a' });
    }
  }
  result(data.id, 'ok ' + generations);
};
`;

let url: string | null = null;

/** A real Web Worker (from a Blob URL) that behaves as told. */
export function scriptedWorker(behaviour: ScriptedBehaviour, trickle = { tokens: 0, tokenEveryMs: 0 }): Worker {
  url ??= URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new Worker(url, { name: `${behaviour}:${trickle.tokens}:${trickle.tokenEveryMs}` });
}

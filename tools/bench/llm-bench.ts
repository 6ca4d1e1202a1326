/**
 * Tokens per second of the fixture LLM through `<slm-provider>`'s engine (worker, message
 * protocol, scheduler) against Transformers.js called directly in the page, on WASM, with
 * the same prompt, token count and host, alternating rounds so drift hits both alike.
 */
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { configureTransformers } from '../../src/engine/workers/transformers-env.js';

const TOKENS = 256;
// `rounds=` for a quick smoke run (`npm run bench -- --quick`).
const ROUNDS = Number(new URLSearchParams(location.search).get('rounds') ?? 9);
const WARMUP_ROUNDS = Math.min(3, ROUNDS);
const MODEL = 'slm-test/llama-tiny-random';
const host = new URL('/models', location.href).href;
const messages = [
  { role: 'system' as const, content: 'You are a clinical scribe.' },
  { role: 'user' as const, content: 'Patient reports a dry cough for three days, no fever.' },
];

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const provider = document.createElement('slm-provider') as SlmProvider;
  Object.assign(provider, { llm: 'test-llm', modelHost: host, device: 'wasm', hideStatus: true });
  document.body.append(provider);
  await provider.load();

  const transformers = await import('@huggingface/transformers');
  const { pipeline, TextStreamer } = transformers;
  // The same onnxruntime build as the product's on WASM, so the ratio is the engine's own cost.
  configureTransformers(transformers, { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true }, undefined, 'wasm');
  const generator = await pipeline('text-generation', MODEL, { device: 'wasm', dtype: 'fp32' });

  const ours = async () => {
    const started = performance.now();
    const result = await provider.engine.generate(messages, { maxTokens: TOKENS, onToken: () => undefined });
    return (result.stats.completionTokens * 1000) / (performance.now() - started);
  };
  const direct = async () => {
    let tokens = 0;
    const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true, callback_function: () => undefined, token_callback_function: () => tokens++ });
    const started = performance.now();
    await generator(messages as never, { max_new_tokens: TOKENS, do_sample: false, streamer } as never);
    return (tokens * 1000) / (performance.now() - started);
  };

  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    await ours();
    await direct();
  }
  const oursRates: number[] = [];
  const directRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(await ours());
    directRates.push(await direct());
  }
  const a = median(oursRates);
  const b = median(directRates);
  log(`fixture LLM (${MODEL}), WASM, ${TOKENS} tokens, median of ${ROUNDS} rounds`);
  log(`  slm-provider (worker + scheduler): ${a.toFixed(1)} tokens/s   [${oursRates.map((r) => r.toFixed(0)).join(', ')}]`);
  log(`  Transformers.js direct (page):     ${b.toFixed(1)} tokens/s   [${directRates.map((r) => r.toFixed(0)).join(', ')}]`);
  log(`  ratio: ${(a / b).toFixed(3)} (goal >= 0.95)`);
  (window as unknown as { benchResult: unknown }).benchResult = { ours: a, direct: b, ratio: a / b };
}

main().catch((error: unknown) => {
  log(`benchmark failed: ${String(error)}`);
  (window as unknown as { benchResult: unknown }).benchResult = { error: String(error) };
});

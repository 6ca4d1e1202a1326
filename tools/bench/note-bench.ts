/**
 * Note latency after a final segment, per step: the rule-based draft on screen, the first
 * token of the model's update, and the update merged (or refused), with the fixture LLM on
 * WASM through `<slm-provider>`. The tiny model writes noise, so "complete" is the moment the
 * note has dealt with its answer; a real model's answer is longer, the steps the same.
 */
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-note/slm-note.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmNote } from '../../src/elements/slm-note/slm-note.js';

// `rounds=` for a quick smoke run (`npm run bench -- --quick`).
const ROUNDS = Number(new URLSearchParams(location.search).get('rounds') ?? 12);
const MAX_TOKENS = 64;
const host = new URL('/models', location.href).href;
const sentences = [
  'She has had a dry cough for two weeks.',
  'Temperature is 37.9 degrees and saturation 96 percent.',
  'Crackles at the right base on auscultation.',
  'Most likely a community acquired pneumonia.',
  'We will start amoxicillin 500 mg three times daily.',
  'Come back if she gets short of breath.',
];

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

async function main() {
  const provider = document.createElement('slm-provider') as SlmProvider;
  Object.assign(provider, { llm: 'test-llm', modelHost: host, device: 'wasm', hideStatus: true });
  const note = document.createElement('slm-note') as SlmNote;
  note.debounce = 0;
  provider.append(note);
  document.body.append(provider);
  await provider.load();

  let firstToken = 0;
  const generate = provider.engine.generate.bind(provider.engine);
  provider.engine.generate = (messages, options = {}) =>
    generate(messages, {
      ...options,
      maxTokens: MAX_TOKENS,
      onToken: (token) => {
        firstToken ||= performance.now();
        options.onToken?.(token);
      },
    });

  const draft: number[] = [];
  const token: number[] = [];
  const complete: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    firstToken = 0;
    const done = new Promise<number>((resolve) => {
      const settle = () => {
        note.removeEventListener('slm-error', settle);
        note.removeEventListener('slm-note-change', onChange);
        resolve(performance.now());
      };
      const onChange = (event: Event) => (event as CustomEvent).detail.cause === 'model' && settle();
      note.addEventListener('slm-error', settle);
      note.addEventListener('slm-note-change', onChange);
    });
    const text = sentences[round % sentences.length];
    const started = performance.now();
    provider.session.transcript.upsert({ id: `b${round}`, text, start: round * 5, end: round * 5 + 4, final: true });
    await note.updateComplete;
    const shown = performance.now();
    const finished = await done;
    await frame();
    // The first two rounds warm up the worker and the page's code.
    if (round < 2) continue;
    draft.push(shown - started);
    token.push(firstToken - started);
    complete.push(finished - started);
  }
  const row = (label: string, values: number[]) => log(`  ${label.padEnd(34)} median ${percentile(values, 0.5).toFixed(1).padStart(7)} ms   p90 ${percentile(values, 0.9).toFixed(1).padStart(7)} ms`);
  log(`note latency after a final segment: fixture LLM (slm-test/llama-tiny-random), WASM, ${MAX_TOKENS} tokens at most, debounce 0, ${ROUNDS} rounds`);
  row('draft shown (rendered)', draft);
  row('first LLM token', token);
  row('LLM update complete', complete);
  log('  (the element waits 1500 ms of quiet before asking the model by default: add it to the last two in use)');
  (window as unknown as { benchResult: unknown }).benchResult = { draft, token, complete };
}

main().catch((error: unknown) => {
  log(`benchmark failed: ${String(error)}`);
  (window as unknown as { benchResult: unknown }).benchResult = { error: String(error) };
});

// The bench's decoder-only model of Qwen2.5-0.5B's shape with random weights: generated once into
// bench-data/ (ignored) by tools/bench/gpu/make_llm.py, with a tokenizer written here, since the
// generated model has none.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PYTHON, requirePython } from './bench-requirements.mjs';

export const MEMORY_MODEL = 'slm-test/qwen2.5-0.5b-shape-random';
const dir = `bench-data/models/${MEMORY_MODEL}`;
const fixture = 'test/fixtures/models/slm-test/llama-tiny-random';
const VOCAB = 151_936;

/** Makes the model (q4, about 0.8 GB) and its tokenizer unless they are there. */
export function ensureMemoryModel() {
  if (!existsSync(`${dir}/onnx/model_q4.onnx`)) {
    requirePython(['numpy', 'onnx'], 'The memory bench generates its model');
    console.log('generating a random-weight model of Qwen2.5-0.5B’s shape, q4 (once)…');
    execFileSync(PYTHON, ['tools/bench/gpu/make_llm.py', dir, '0.5b', 'q4'], { stdio: 'inherit' });
  }
  if (!existsSync(`${dir}/tokenizer_config.json`)) writeTokenizer();
}

/**
 * The fixture's byte-level tokenizer (one token per byte, no merges), padded to the model's
 * vocabulary so that every id the random weights pick decodes. The fillers sit in the BPE
 * vocabulary, not among the added tokens: no text ever encodes to them, and 150,000 added tokens
 * would make every encode split the text against all of them. The specials take the last ids
 * (`<|im_end|>` is the config's eos, the vocabulary's last id).
 */
function writeTokenizer() {
  const tokenizer = JSON.parse(readFileSync(`${fixture}/tokenizer.json`, 'utf8'));
  const vocab = Object.fromEntries(Object.entries(tokenizer.model.vocab).filter(([, id]) => id < 256));
  for (let id = 256; id < VOCAB - 3; id++) vocab[`<f${id}>`] = id;
  tokenizer.model.vocab = vocab;
  tokenizer.model.merges = [];
  const specials = { '<|endoftext|>': VOCAB - 3, '<|im_start|>': VOCAB - 2, '<|im_end|>': VOCAB - 1 };
  tokenizer.added_tokens = tokenizer.added_tokens.map((token) => ({ ...token, id: specials[token.content] }));
  writeFileSync(`${dir}/tokenizer.json`, JSON.stringify(tokenizer));
  const config = JSON.parse(readFileSync(`${fixture}/tokenizer_config.json`, 'utf8'));
  writeFileSync(`${dir}/tokenizer_config.json`, JSON.stringify({ ...config, model_max_length: 32768 }, null, 1));
}

// The generated models have no tokenizer, and the engine's path needs one (chat template, encode,
// the streamer's decode). This is the fixture LLM's byte-level tokenizer and ChatML template,
// padded to the model's vocabulary so every id the random weights pick decodes (as in
// tools/bench/memory-model.mjs). The fillers decode to " w<id>", a word per token as in prose;
// they sit in the BPE vocabulary, so no text encodes to them. The specials take the last ids
// (`<|im_end|>` is the config's eos, the vocabulary's last id).
import fixtureTokenizer from '../../../../test/fixtures/models/slm-test/llama-tiny-random/tokenizer.json';
import fixtureConfig from '../../../../test/fixtures/models/slm-test/llama-tiny-random/tokenizer_config.json';

/** The two files, by their path in the model's repo. */
export function tokenizerFiles(vocabSize) {
  const tokenizer = structuredClone(fixtureTokenizer);
  const vocab = Object.fromEntries(Object.entries(tokenizer.model.vocab).filter(([, id]) => id < 256));
  for (let id = 256; id < vocabSize - 3; id++) vocab[`Ġw${id}`] = id;
  tokenizer.model.vocab = vocab;
  tokenizer.model.merges = [];
  const specials = { '<|endoftext|>': vocabSize - 3, '<|im_start|>': vocabSize - 2, '<|im_end|>': vocabSize - 1 };
  tokenizer.added_tokens = tokenizer.added_tokens.map((token) => ({ ...token, id: specials[token.content] }));
  return {
    'tokenizer.json': JSON.stringify(tokenizer),
    'tokenizer_config.json': JSON.stringify({ ...fixtureConfig, model_max_length: 32768 }),
  };
}

/**
 * One user message whose prompt, after the chat template (`<|im_start|>user\n…<|im_end|>\n<|im_start|>assistant\n`),
 * is `length` tokens: one token per byte of ASCII text, plus the template's 3 specials and 16 bytes.
 */
export function promptOfLength(length) {
  const sentence = 'Patient reports a dry cough for three days, no fever, mild sore throat; lungs clear. ';
  const bytes = length - 3 - 'user\n\nassistant\n'.length;
  return [{ role: 'user', content: sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes) }];
}

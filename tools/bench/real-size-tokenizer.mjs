// A Whisper tokenizer of the real one's size, for timing its build (`npm run bench:session`): the bench models carry
// the fixtures' byte-level tokenizer (6 KB), while a real Whisper's tokenizer.json is about 2.5 MB (GPT-2's 50,000
// byte-level BPE merges, then 1,607 special, language and timestamp tokens), and Transformers.js builds it on the
// speech worker's thread at every load. Random merges of the same count and shape; written once into bench-data/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

export const REAL_SIZE_TOKENIZER_DIR = 'bench-data/tokenizers/whisper-real-size';

/** GPT-2's map of bytes to printable characters, which byte-level BPE vocabularies are written in. */
function byteChars() {
  const printable = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const chars = new Map(printable.map((b) => [b, String.fromCodePoint(b)]));
  let next = 256;
  for (let b = 0; b < 256; b++) if (!chars.has(b)) chars.set(b, String.fromCodePoint(next++));
  return [...chars.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

/** Seeded, so every run times the same file. */
function random(seed) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function ensureRealSizeTokenizer() {
  if (existsSync(`${REAL_SIZE_TOKENIZER_DIR}/tokenizer.json`)) return REAL_SIZE_TOKENIZER_DIR;
  const next = random(1);
  const vocab = Object.fromEntries(byteChars().map((c, i) => [c, i]));
  const tokens = Object.keys(vocab);
  const merges = [];
  while (merges.length < 50_000) {
    const a = tokens[Math.floor(next() * tokens.length)];
    const b = tokens[Math.floor(next() * tokens.length)];
    if (a.length + b.length > 12 || vocab[a + b] !== undefined) continue;
    vocab[a + b] = tokens.length;
    tokens.push(a + b);
    merges.push(`${a} ${b}`);
  }
  const languages = Array.from({ length: 99 }, (_, i) => `<|l${i}|>`);
  const timestamps = Array.from({ length: 1501 }, (_, i) => `<|${(i * 0.02).toFixed(2)}|>`);
  const specials = ['<|endoftext|>', '<|startoftranscript|>', ...languages, '<|translate|>', '<|transcribe|>', '<|startoflm|>', '<|startofprev|>', '<|nocaptions|>', '<|notimestamps|>', ...timestamps];
  const added = specials.map((content) => {
    vocab[content] = Object.keys(vocab).length;
    return { id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: { ...byteLevel, add_prefix_space: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  };
  mkdirSync(REAL_SIZE_TOKENIZER_DIR, { recursive: true });
  writeFileSync(`${REAL_SIZE_TOKENIZER_DIR}/tokenizer.json`, JSON.stringify(tokenizer));
  writeFileSync(
    `${REAL_SIZE_TOKENIZER_DIR}/tokenizer_config.json`,
    JSON.stringify({ tokenizer_class: 'WhisperTokenizer', model_max_length: 448, bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', pad_token: '<|endoftext|>', add_prefix_space: false, errors: 'replace' }),
  );
  return REAL_SIZE_TOKENIZER_DIR;
}

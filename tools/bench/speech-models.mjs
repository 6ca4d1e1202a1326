// The speech benches' models: random weights at the real models' sizes, generated once into
// bench-data/ (ignored, never committed) by tools/fixtures/make_fixtures.py.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { PYTHON, requirePython } from './bench-requirements.mjs';

export const SPEECH_MODELS = {
  whisper: { name: 'whisper-tiny-size-random', flag: '--whisper-tiny-size', label: 'Whisper of whisper-tiny' },
  moonshine: { name: 'moonshine-tiny-size-random', flag: '--moonshine-tiny-size', label: 'Moonshine of moonshine-tiny' },
  whisperBase: { name: 'whisper-base-size-random', flag: '--whisper-base-size', label: 'Whisper of whisper-base' },
};

/** Makes each of `kinds` (keys of SPEECH_MODELS) that is not there yet. */
export function ensureSpeechModels(kinds) {
  mkdirSync('bench-data/models', { recursive: true });
  // A model from an older generator (without the q8 decoder, the cached cross-attention, the tied output head, or a
  // Whisper tokenizer of the real size) is made anew.
  const missing = kinds.map((kind) => SPEECH_MODELS[kind]).filter(({ name }) => !isCurrentBenchModel(`bench-data/models/slm-test/${name}`));
  if (missing.length === 0) return;
  // torch exports the graphs; onnx and numpy merge the decoders and quantise them.
  requirePython(['torch', 'onnx', 'numpy'], 'The speech benches generate their random-weight models');
  for (const { name, flag, label } of missing) {
    console.log(`generating a random-weight ${label} size (once): bench-data/models/slm-test/${name}…`);
    execFileSync(PYTHON, ['tools/fixtures/make_fixtures.py', 'bench-data/models/slm-test', flag], { stdio: 'inherit' });
  }
}

/** The generator's version a bench model was made by (make_fixtures.py's BENCH_MODEL_MARK); older ones are made anew. */
export const BENCH_MODEL_GENERATOR = 3;

/** Whether `folder` holds a whole bench model made by the current generator. */
export function isCurrentBenchModel(folder) {
  if (!existsSync(`${folder}/onnx/decoder_model_merged_quantized.onnx`)) return false;
  try {
    return JSON.parse(readFileSync(`${folder}/slm-bench-model.json`, 'utf8')).generator >= BENCH_MODEL_GENERATOR;
  } catch {
    return false;
  }
}

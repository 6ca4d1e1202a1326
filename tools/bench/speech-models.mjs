// The speech benches' models: random weights at the real models' sizes, generated once into
// bench-data/ (ignored, never committed) by tools/fixtures/make_fixtures.py.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { PYTHON, requirePython } from './bench-requirements.mjs';

export const SPEECH_MODELS = {
  whisper: { name: 'whisper-tiny-size-random', flag: '--whisper-tiny-size', label: 'Whisper of whisper-tiny' },
  moonshine: { name: 'moonshine-tiny-size-random', flag: '--moonshine-tiny-size', label: 'Moonshine of moonshine-tiny' },
};

/** Makes each of `kinds` (keys of SPEECH_MODELS) that is not there yet. */
export function ensureSpeechModels(kinds) {
  mkdirSync('bench-data/models', { recursive: true });
  // The q8 decoder is written last; an older model without it (or without the cached cross-attention) is made anew.
  const missing = kinds.map((kind) => SPEECH_MODELS[kind]).filter(({ name }) => !existsSync(`bench-data/models/slm-test/${name}/onnx/decoder_model_merged_quantized.onnx`));
  if (missing.length === 0) return;
  // torch exports the graphs; onnx and numpy merge the decoders and quantise them.
  requirePython(['torch', 'onnx', 'numpy'], 'The speech benches generate their random-weight models');
  for (const { name, flag, label } of missing) {
    console.log(`generating a random-weight ${label} size (once): bench-data/models/slm-test/${name}…`);
    execFileSync(PYTHON, ['tools/fixtures/make_fixtures.py', 'bench-data/models/slm-test', flag], { stdio: 'inherit' });
  }
}

import type { ModelPreset } from '../types.js';

const MB = 1e6;

const speech = (
  id: string,
  label: string,
  modelId: string,
  downloadMB: number,
  memoryMB: number,
  multilingual: boolean,
  goodFor: string,
): ModelPreset => ({
  id,
  kind: 'asr',
  label,
  runtime: 'transformers',
  modelId,
  downloadBytes: downloadMB * MB,
  memoryBytes: memoryMB * MB,
  license: 'MIT',
  goodFor,
  multilingual,
});

/**
 * Speech-recognition presets: Transformers.js ONNX builds under onnx-community. Downloads are
 * for the q8 files WASM loads (about one byte a parameter); fp32 on WebGPU is about four
 * times larger. Memory is the loaded weights plus working buffers, rounded up.
 */
export const speechPresets: ModelPreset[] = [
  speech('whisper-tiny', 'Whisper tiny (39M)', 'onnx-community/whisper-tiny', 41, 150, true, 'Fastest Whisper; rough on medical terms. 99 languages, translation.'),
  speech('whisper-tiny.en', 'Whisper tiny.en (39M)', 'onnx-community/whisper-tiny.en', 41, 150, false, 'English only, a little more accurate than tiny.'),
  speech('whisper-base', 'Whisper base (74M)', 'onnx-community/whisper-base', 80, 300, true, 'The default: live dictation on modest laptops. 99 languages, translation.'),
  speech('whisper-base.en', 'Whisper base.en (74M)', 'onnx-community/whisper-base.en', 80, 300, false, 'English dictation, steadier than base.'),
  speech('whisper-small', 'Whisper small (244M)', 'onnx-community/whisper-small', 250, 1000, true, 'Best accuracy of the presets; wants WebGPU for live use.'),
  speech('distil-whisper-small.en', 'Distil-Whisper small.en (166M)', 'onnx-community/distil-small.en', 170, 700, false, 'Near small-model accuracy at twice the speed; English only.'),
  speech('moonshine-tiny', 'Moonshine tiny (27M)', 'onnx-community/moonshine-tiny-ONNX', 30, 120, false, 'Built for live transcription: cost grows with audio length, not a 30 s window. English.'),
  speech('moonshine-base', 'Moonshine base (61M)', 'onnx-community/moonshine-base-ONNX', 65, 250, false, 'More accurate Moonshine; English.'),
];

export const testAsrPreset: ModelPreset = {
  id: 'test-asr',
  kind: 'asr',
  label: 'Test Whisper (random weights)',
  runtime: 'transformers',
  modelId: 'slm-test/whisper-tiny-random',
  downloadBytes: 0.7 * MB,
  memoryBytes: 16 * MB,
  license: 'MIT',
  goodFor: 'Tests and offline demos: real loading and inference, meaningless text.',
  multilingual: true,
  // The fixture ships fp32 weights only.
  dtypes: { webgpu: 'fp32', wasm: 'fp32', webnn: 'fp32' },
};

/**
 * A random Moonshine in onnx-community's layout: the same loading and inference path as
 * moonshine-tiny (raw samples in, cost growing with the audio's length), meaningless text.
 */
export const testMoonshinePreset: ModelPreset = {
  id: 'test-moonshine',
  kind: 'asr',
  label: 'Test Moonshine (random weights)',
  runtime: 'transformers',
  modelId: 'slm-test/moonshine-tiny-random',
  downloadBytes: 1.2 * MB,
  memoryBytes: 16 * MB,
  license: 'MIT',
  goodFor: 'Tests and offline demos of live partials: real loading and inference, meaningless text.',
  multilingual: false,
  // The fixture ships fp32 weights only.
  dtypes: { webgpu: 'fp32', wasm: 'fp32', webnn: 'fp32' },
};

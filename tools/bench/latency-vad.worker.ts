/// <reference lib="webworker" />
/**
 * Silero's speech probability for every frame of a recording, read as fast as it goes: the page's
 * content security policy lets WASM compile in workers only, as the speech worker does.
 */
import { SILERO_FRAME, SileroVad } from '../../src/audio/silero-vad.js';
import type { OrtPaths } from '../../src/engine/ort-files.js';

declare const self: DedicatedWorkerGlobalScope;

export interface VadRequest {
  audio: Float32Array;
  wasmPaths: OrtPaths;
  modelUrl: string;
}

self.onmessage = async (event: MessageEvent<VadRequest>) => {
  const { audio, wasmPaths, modelUrl } = event.data;
  const ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = wasmPaths;
  ort.env.wasm.numThreads = 1;
  const vad = await SileroVad.load(ort, modelUrl);
  const probabilities = new Float32Array(Math.floor(audio.length / SILERO_FRAME));
  for (let i = 0; i < probabilities.length; i++) probabilities[i] = await vad.probability(audio.subarray(i * SILERO_FRAME, (i + 1) * SILERO_FRAME));
  self.postMessage(probabilities, [probabilities.buffer]);
};

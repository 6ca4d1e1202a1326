/**
 * Whisper's log-mel features for one 30 s window: Transformers.js's CPU extractor against the
 * WGSL front end on this browser's WebGPU adapter (SwiftShader in headless Chromium here).
 * `npm run bench:log-mel` (query: `rounds=N`).
 */
import { PACKAGED_ORT_FILES } from '../../../src/engine/ort-files.js';
import { configureTransformers } from '../../../src/engine/workers/transformers-env.js';
import { benchLogMel, describeResult } from './log-mel-timing.js';

declare global {
  interface Window {
    benchResult?: unknown;
  }
}

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};

try {
  const rounds = Number(new URLSearchParams(location.search).get('rounds') ?? 3);
  const library = await import('@huggingface/transformers');
  configureTransformers(library, { host: location.origin, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false });
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('No WebGPU adapter: run with --enable-unsafe-webgpu.');
  log(`adapter: ${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim());
  const device = await adapter.requestDevice();
  const results = [];
  for (const bands of [80, 128]) {
    const result = await benchLogMel(library, device, bands, { cpu: rounds, gpu: rounds });
    log(describeResult(result));
    results.push(result);
  }
  device.destroy();
  window.benchResult = { results };
} catch (error) {
  window.benchResult = { error: String(error) };
}

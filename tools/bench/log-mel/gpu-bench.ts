/**
 * The log-mel benchmark on a real GPU without a browser: dawn.node (npm `webgpu`) gives
 * `navigator.gpu`, Transformers.js in Node (onnxruntime-node) is the CPU extractor.
 * Bundled by `tools/bench/log-mel/prepare-gpu.sh`; run where it is carried:
 *   node bench.mjs /path/to/dawn.node [rounds]
 * (Transformers.js is bundled in, without sharp; onnxruntime-node sits beside it in node_modules/.)
 */
import * as library from '@huggingface/transformers';
import { createRequire } from 'node:module';
import { benchLogMel, describeResult } from './log-mel-timing.js';

const [dawnPath, roundsArg] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const dawn = require(dawnPath) as { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) throw new Error('dawn.node found no adapter');
console.log(`adapter: ${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.device} ${adapter.info.description}`);
const device = await adapter.requestDevice();
const rounds = Number(roundsArg ?? 20);
const results = [];
for (const bands of [80, 128]) {
  const result = await benchLogMel(library, device, bands, { cpu: rounds, gpu: rounds * 5 });
  console.log(describeResult(result));
  results.push(result);
}
console.log(`RESULT ${JSON.stringify(results)}`);
device.destroy();
setTimeout(() => process.exit(0), 200);

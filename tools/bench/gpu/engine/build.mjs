// Bundles our engine's path for Node into OUT (prepare.sh passes DIR/scripts): bench-engine.mjs with
// SlmEngine and the backend it uses, our Transformers.js worker module, and the worker thread's
// scope. Transformers.js stays outside (the carried node_modules has it, with onnxruntime-node).
//   node tools/bench/gpu/engine/build.mjs OUT
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const out = process.argv[2];
if (!out) throw new Error('usage: node tools/bench/gpu/engine/build.mjs OUT');
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const common = {
  bundle: true, format: 'esm', platform: 'node', target: 'node22', outdir: out, outExtension: { '.js': '.mjs' },
  external: ['@huggingface/transformers'], logLevel: 'warning', legalComments: 'none',
};
await build({
  ...common,
  entryPoints: { 'bench-engine': here('./bench-engine.mjs'), 'worker-scope': here('./worker-scope.mjs') },
  // WebLLM (6.8 MB of library) is bundled for its backend only, which the bench never loads.
  alias: { '@mlc-ai/web-llm': here('./web-llm-stub.mjs') },
});
await build({ ...common, entryPoints: { 'transformers.worker': here('../../../../src/engine/workers/transformers.worker.ts') } });

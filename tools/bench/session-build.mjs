// `npm run bench:session [-- runs=3 levels=all,disabled builds=plain,asyncify parts=sessions,tokenizer dir=FOLDER json=FILE]`: where a warm
// load's time goes once the files are in hand. A warm reload of the speech model is bound by the worker's thread
// building the tokenizer and then onnxruntime's sessions (the files come from Cache Storage in milliseconds).
// `sessions` builds each of a Whisper's q8 sessions (what WASM loads) with onnxruntime-web's own WebAssembly
// build, in Node, one thread, and splits the time by onnxruntime's verbose log: starting the runtime, reading the
// model, constant folding, the rest of partitioning and graph transforms, and the session state (initializers, memory
// planning, kernels, pre-packed weights). `tokenizer` times Transformers.js (its Node build) building the model's
// tokenizer (the bench models' is as large as a real Whisper's) beside the test fixture's small one. `builds` picks
// onnxruntime's WebAssembly: `plain` (what a model on WASM loads) and `asyncify` (what Transformers.js's own bundle,
// onnxruntime-web/webgpu, loads on every device), so the two are weighed in one run.
// Default model: the whisper-base-sized random-weight bench model (generated once into bench-data/).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Each bundle with its own build's files: ort.wasm the plain build, ort.webgpu the asyncify one.
const ORT = {
  plain: fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/ort.wasm.min.mjs', import.meta.url)),
  asyncify: fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs', import.meta.url)),
};
const FILES = ['encoder_model_quantized.onnx', 'decoder_model_merged_quantized.onnx'];

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], process.argv[5]);
else if (process.argv[2] === '--tokenizer') await tokenizerChild(process.argv[3]);
else await main();

/** Transformers.js building a tokenizer from a local folder, in a fresh process, as a fresh worker does. */
async function tokenizerChild(folder) {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  Object.assign(env, { localModelPath: `${path.dirname(path.resolve(folder))}/`, allowRemoteModels: false, useFSCache: false });
  const t0 = performance.now();
  await AutoTokenizer.from_pretrained(path.basename(folder));
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
}

/**
 * One session build in a fresh process: prints its local start time (onnxruntime logs local times) and, so that a
 * cheaper build is weighed against what it costs later, the time of a reading with it: the encoder on a 30 s window,
 * or the decoder's first step and four cached ones. Logs go to stderr.
 */
async function child(file, level, ortBuild) {
  const bytes = readFileSync(file);
  const config = JSON.parse(readFileSync(path.join(path.dirname(file), '..', 'config.json'), 'utf8'));
  const ort = await import(ORT[ortBuild]);
  ort.env.wasm.numThreads = 1;
  const start = localTime(new Date());
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: level, logSeverityLevel: 0, logVerbosityLevel: 0 });
  const ms = performance.now() - t0;
  const t1 = performance.now();
  await read(ort, session, config);
  console.log(JSON.stringify({ start, ms, readMs: performance.now() - t1 }));
}

/** A reading's work for this session: Whisper's encoder on one window, or five decoder steps. */
async function read(ort, session, { d_model: d, decoder_attention_heads: heads, num_mel_bins: mels, max_source_positions: frames }) {
  const floats = (n) => Float32Array.from({ length: n }, (_, i) => Math.sin(i) / 4);
  if (session.inputNames.includes('input_features')) {
    await session.run({ input_features: new ort.Tensor('float32', floats(mels * frames * 2), [1, mels, frames * 2]) });
    return;
  }
  const hidden = new ort.Tensor('float32', floats(frames * d), [1, frames, d]);
  const empty = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, d / heads]);
  let past = Object.fromEntries(session.inputNames.filter((n) => n.startsWith('past_key_values.')).map((n) => [n, empty]));
  // Any ids within the vocabulary do: the weights are random, and a step costs the same whatever the token.
  let ids = [256n, 258n, 263n, 267n];
  for (let step = 0; step < 5; step++) {
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]),
      encoder_hidden_states: hidden,
      use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
      ...past,
    });
    // The cross-attention's keys and values come from the first step only, as in Transformers.js.
    past = Object.fromEntries(Object.keys(past).map((n) => [n, step > 0 && n.includes('.encoder.') ? past[n] : out[n.replace('past_key_values', 'present')]]));
    ids = [440n + BigInt(step)];
  }
}

async function main() {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
  const runs = Number(args.runs ?? 3);
  let dir = args.dir;
  if (!dir) {
    const { ensureSpeechModels, SPEECH_MODELS } = await import('./speech-models.mjs');
    ensureSpeechModels(['whisperBase']);
    dir = `bench-data/models/slm-test/${SPEECH_MODELS.whisperBase.name}`;
  }
  const levels = (args.levels ?? 'all').split(',');
  const ortBuilds = (args.builds ?? 'plain').split(',');
  const unknown = ortBuilds.filter((b) => !ORT[b]);
  if (unknown.length) throw new Error(`builds: ${unknown.join(', ')} unknown; plain, asyncify`);
  const parts = (args.parts ?? 'sessions,tokenizer').split(',');
  console.log(`load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores; onnxruntime-web ${JSON.parse(readFileSync(new URL('../../node_modules/onnxruntime-web/package.json', import.meta.url))).version} (WebAssembly, 1 thread, in Node ${process.version}); ${dir}`);
  const rows = [];
  for (const level of parts.includes('sessions') ? levels : []) {
    for (const file of FILES) {
      // The builds alternate, so a change in the machine's load falls on both alike.
      const builds = Object.fromEntries(ortBuilds.map((b) => [b, []]));
      for (let i = 0; i < runs; i++) for (const b of ortBuilds) builds[b].push(build(`${dir}/onnx/${file}`, level, b));
      for (const b of ortBuilds) {
        const median = (key) => builds[b].map((x) => x[key]).sort((x, y) => x - y)[Math.floor(runs / 2)];
        rows.push({ file, level, onnxruntime: b, ...Object.fromEntries(Object.keys(builds[b][0]).map((k) => [k, Math.round(median(k))])) });
      }
    }
  }
  if (rows.length) {
    console.log(`onnxruntime building the sessions, ms, median of ${runs} builds:`);
    console.table(rows);
  }
  const tokenizers = [];
  if (parts.includes('tokenizer')) {
    // The test fixture's byte-level tokenizer beside the bench model's, which is as large as a real Whisper's.
    for (const [name, folder] of [['the test fixture’s', 'test/fixtures/models/slm-test/whisper-tiny-random'], ['the bench model’s', dir]]) {
      const times = [];
      for (let i = 0; i < runs; i++) times.push(buildTokenizer(folder));
      times.sort((a, b) => a - b);
      tokenizers.push({ tokenizer: name, 'tokenizer.json bytes': statSync(`${folder}/tokenizer.json`).size, 'build ms (median)': Math.round(times[Math.floor(runs / 2)]), 'min–max': `${Math.round(times[0])}–${Math.round(times.at(-1))}` });
    }
    console.log('Transformers.js building the tokenizer (AutoTokenizer.from_pretrained, files local):');
    console.table(tokenizers);
  }
  if (rows.length && ortBuilds.length > 1) {
    // Each build against the plain one, file by file: its build and reading times over the plain build's.
    const plain = (row) => rows.find((r) => r.file === row.file && r.level === row.level && r.onnxruntime === 'plain');
    const ratios = rows.filter((r) => r.onnxruntime !== 'plain' && plain(r)).map((r) => ({ file: r.file, level: r.level, onnxruntime: r.onnxruntime, 'build ×': +(r.build / plain(r).build).toFixed(2), 'reading ×': +(r.reading / plain(r).reading).toFixed(2) }));
    if (ratios.length) {
      console.log('against the plain build (its time over the plain build’s):');
      console.table(ratios);
    }
  }
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ date: new Date().toISOString(), dir, runs, cpus: os.cpus().length, load: os.loadavg(), rows, tokenizers }, null, 2)}\n`);
}

function buildTokenizer(folder) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--tokenizer', folder], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`building the tokenizer in ${folder} failed:\n${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)).ms;
}

/** Builds one session and splits its time by onnxruntime's log lines. */
function build(file, level, ortBuild) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, level, ortBuild], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`building ${file} failed:\n${run.stderr.slice(-2000)}`);
  const { start, ms, readMs } = JSON.parse(run.stdout.trim().split('\n').at(-1));
  const lines = run.stderr.split('\n').flatMap((line) => {
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) (.*)$/.exec(line);
    return m ? [{ t: parseLocal(m[1]), text: m[2] }] : [];
  });
  const split = { runtime: 0, read: 0, constantFolding: 0, optimise: 0, state: 0 };
  let stage = 'runtime';
  let folding = false;
  let previous = parseLocal(start);
  for (const { t, text } of lines) {
    split[folding ? 'constantFolding' : stage] += t - previous;
    previous = t;
    if (text.includes('Applying graph transformer ConstantFolding')) folding = true;
    else if (folding && text.includes('GraphTransformer ConstantFolding modified')) folding = false;
    // The constructor's last line, then the model is parsed; "Initializing session." starts partitioning and the
    // graph transforms; the first planner line starts the session state (initializers, kernels, pre-packed weights).
    if (text.includes('ConstructorCommon')) stage = 'read';
    else if (text.includes('Initializing session.')) stage = 'optimise';
    else if (stage === 'optimise' && /CreateGraphPartitioner|SaveInitializedTensors/.test(text)) stage = 'state';
  }
  return { build: ms, ...split, reading: readMs };
}

/** "YYYY-MM-DD HH:MM:SS.ffffff" in local time, as onnxruntime's log writes it, to milliseconds. */
function parseLocal(text) {
  const [date, time] = text.split(' ');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':');
  return new Date(y, mo - 1, d, Number(h), Number(mi), 0).getTime() + Number(s) * 1000;
}

function localTime(date) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`;
}

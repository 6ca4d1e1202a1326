// Reads the RESULT lines of a GPU bench log and writes them with the comparisons the issue asks for:
// WebGPU decode against PyTorch-CUDA eager, each against the memory-bandwidth bound, Whisper's real-time factor,
// our engine's path against Transformers.js called directly.
//   node summarize.mjs bench-gpu.log gpu-results.json
import { readFileSync, writeFileSync } from 'node:fs';

const [logPath, outPath] = process.argv.slice(2);
const BANDWIDTH = 4.8e12; // H200 HBM3e, bytes per second (the datasheet's figure)
const results = readFileSync(logPath, 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('RESULT '))
  .flatMap((line) => {
    try {
      return [JSON.parse(line.slice('RESULT '.length))];
    } catch {
      return []; // a step that printed no JSON (it failed; its error is in the log)
    }
  });

const find = (where) => results.find((r) => Object.entries(where).every(([k, v]) => r[k] === v) && !r.error);
const bound = (bytes) => (bytes ? Math.round(BANDWIDTH / bytes) : null);
const ratio = (a, b) => (a != null && b ? Math.round((a / b) * 1000) / 1000 : null);

const llm = {};
for (const shape of ['0.5b', '1.5b']) {
  const id = `qwen2.5-${shape}-shape-random`;
  const torchGenerate = find({ bench: 'llm', runtime: 'pytorch-cuda-eager generate()', model: `qwen2.5-${shape}-shape` });
  const torchLoop = find({ bench: 'llm', runtime: 'pytorch-cuda-eager loop', model: `qwen2.5-${shape}-shape` });
  const rows = {};
  for (const dtype of ['q4f16', 'q4']) {
    for (const device of ['webgpu', 'cpu']) {
      const r = find({ bench: 'llm', runtime: 'transformers.js', model: id, device, dtype });
      if (!r) continue;
      const bytes = find({ bench: 'model', model: id, dtype })?.weightBytesPerToken;
      rows[`transformers.js ${device} ${dtype}`] = {
        prefillTokensPerSecond: r.prefillTokensPerSecond, decodeTokensPerSecond: r.decodeTokensPerSecond,
        msPerDecodedToken: r.msPerDecodedToken, weightBytesPerToken: bytes, bandwidthBoundTokensPerSecond: bound(bytes),
        fractionOfBound: ratio(r.decodeTokensPerSecond, bound(bytes)),
        decodeVsPytorchGenerate: ratio(r.decodeTokensPerSecond, torchGenerate?.decodeTokensPerSecond),
        prefillVsPytorchGenerate: ratio(r.prefillTokensPerSecond, torchGenerate?.prefillTokensPerSecond),
        decodeVsPytorchLoop: ratio(r.decodeTokensPerSecond, torchLoop?.decodeTokensPerSecond),
      };
    }
  }
  for (const t of [torchGenerate, torchLoop].filter(Boolean)) {
    rows[`${t.runtime} ${t.dtype}`] = {
      prefillTokensPerSecond: t.prefillTokensPerSecond, decodeTokensPerSecond: t.decodeTokensPerSecond,
      msPerDecodedToken: t.msPerDecodedToken, weightBytesPerToken: t.weightBytesPerToken,
      bandwidthBoundTokensPerSecond: bound(t.weightBytesPerToken), fractionOfBound: ratio(t.decodeTokensPerSecond, bound(t.weightBytesPerToken)),
    };
  }
  if (Object.keys(rows).length) llm[shape] = rows;
}

// Our engine's path (bench-engine.mjs) against Transformers.js called directly, same model and weights: each run of
// ours is paired with the direct run next to it (the one before, else the one after), and every timed generation of
// either, over all pairs in the log, is pooled too (this machine's decode pace drifts from one process to the next).
const engine = {};
const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const paired = new Set();
results.forEach((ours, i) => {
  if (ours.bench !== 'llm' || ours.runtime !== 'slm-engine' || ours.error) return;
  const same = (r) => r?.bench === 'llm' && r.runtime === 'transformers.js' && !r.error && r.model === ours.model && r.device === ours.device && r.dtype === ours.dtype;
  const direct = [results[i - 1], results[i + 1]].find((r) => same(r) && !paired.has(r));
  if (direct) paired.add(direct);
  const rates = (r) => r && { prefillTokensPerSecond: r.prefillTokensPerSecond, decodeTokensPerSecond: r.decodeTokensPerSecond, msPerDecodedToken: r.msPerDecodedToken };
  const entry = (engine[`${ours.model} ${ours.device} ${ours.dtype}`] ??= { pairs: [], runs: { ours: [], direct: [] } });
  entry.pairs.push({
    order: direct ? (results.indexOf(direct) < i ? 'direct, then ours' : 'ours, then direct') : null,
    direct: rates(direct) ?? null,
    ours: { ...rates(ours), completionTokens: ours.completionTokens, worker: ours.worker },
    decodeOursOverDirect: ratio(ours.decodeTokensPerSecond, direct?.decodeTokensPerSecond),
    prefillOursOverDirect: ratio(ours.prefillTokensPerSecond, direct?.prefillTokensPerSecond),
  });
  entry.runs.ours.push(...ours.runs.map((run) => ({ ...run, decoded: ours.completionTokens - 1, prompt: ours.promptTokens })));
  if (direct) entry.runs.direct.push(...direct.runs.map((run) => ({ ...run, decoded: direct.newTokens - 1, prompt: direct.promptTokens })));
});
for (const entry of Object.values(engine)) {
  const pool = (runs) =>
    runs.length
      ? {
          generations: runs.length,
          prefillTokensPerSecond: Math.round(medianOf(runs.map((r) => (r.prompt / r.prefillMs) * 1000))),
          decodeTokensPerSecond: Math.round(medianOf(runs.map((r) => (r.decoded / r.decodeMs) * 1000)) * 10) / 10,
        }
      : null;
  const [ours, direct] = [pool(entry.runs.ours), pool(entry.runs.direct)];
  entry.pooled = {
    ours, direct,
    decodeOursOverDirect: ratio(ours?.decodeTokensPerSecond, direct?.decodeTokensPerSecond),
    prefillOursOverDirect: ratio(ours?.prefillTokensPerSecond, direct?.prefillTokensPerSecond),
  };
  // The pairs' ratios, each taken between neighbours, averaged geometrically: the drift between processes counts once per pair.
  const mean = (key) => {
    const values = entry.pairs.map((pair) => pair[key]).filter((value) => value > 0);
    return values.length ? Math.round(Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length) * 1000) / 1000 : null;
  };
  entry.pairsGeometricMean = { decodeOursOverDirect: mean('decodeOursOverDirect'), prefillOursOverDirect: mean('prefillOursOverDirect') };
  delete entry.runs;
}

const asr = {};
for (const r of results.filter((x) => x.bench === 'asr' && !x.error)) {
  asr[`${r.device} ${r.dtype}`] = { realTimeFactor: r.realTimeFactor, medianMs: r.medianMs, audioSeconds: r.audioSeconds, textTokens: r.textTokens };
}
const bestWebgpuRtf = Math.min(...Object.entries(asr).filter(([k]) => k.startsWith('webgpu')).map(([, v]) => v.realTimeFactor));
const decodeRatio = llm['0.5b']?.['transformers.js webgpu q4f16']?.decodeVsPytorchGenerate ?? null;
const engineRatio = engine['qwen2.5-0.5b-shape-random webgpu q4f16']?.pairsGeometricMean.decodeOursOverDirect ?? null;
const goals = {
  'webgpu decode ≥ 0.5 × pytorch-cuda eager (0.5B)': { value: decodeRatio, met: decodeRatio == null ? null : decodeRatio >= 0.5 },
  'engine decode ≥ 0.95 × transformers.js direct (0.5B webgpu q4f16)': {
    value: engineRatio, met: engineRatio == null ? null : engineRatio >= 0.95,
  },
  'whisper-base real-time factor ≤ 0.05 on webgpu': {
    value: Number.isFinite(bestWebgpuRtf) ? bestWebgpuRtf : null, met: Number.isFinite(bestWebgpuRtf) ? bestWebgpuRtf <= 0.05 : null,
  },
};
const errors = results.filter((r) => r.error).map((r) => ({ bench: r.bench, model: r.model, device: r.device, dtype: r.dtype, error: r.error }));
const summary = {
  date: new Date().toISOString().slice(0, 10), machine: results.find((r) => r.bench === 'env') ?? null,
  setup: 'batch 1; LLM: 512-token prompt, 256 new tokens, greedy, medians of 3 runs after a warm-up; Whisper: 30 s of audio, median of 3',
  bandwidthBytesPerSecond: BANDWIDTH, goals, llm, engine, asr, errors, results,
};
writeFileSync(outPath, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify({ goals, llm, engine, asr, errors: errors.map((e) => `${e.bench} ${e.model} ${e.device} ${e.dtype}: ${e.error.slice(0, 300)}`) }, null, 1));

/**
 * The model's memory of a visit across a reload: time to the first token of a follow-up
 * question (a) in a new engine given the stored cache, (b) in a new engine without it, (c) as
 * the second turn of the same session; the stored size and the restore time. The cache goes
 * through `VisitStore.putModelMemory` / `getModelMemory`, so sealing and IndexedDB count.
 *
 * Query: `models=qwen,fixture` (default both), `sizes=500,2000,4000` (visit context in tokens;
 * both tokenizers are byte-level, one token per character of the transcript).
 */
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { ChatMessage, DevicePreference, GenerationResult, ModelDtype } from '../../src/engine/types.js';
import type { PrefixRecord } from '../../src/engine/workers/prefix-record.js';
import { packMemory } from '../../src/visits/model-memory.js';
import { VisitStore } from '../../src/visits/visit-store.js';

interface BenchModel {
  name: string;
  label: string;
  llm: string;
  modelHost: string;
  device: DevicePreference;
  llmDtype?: ModelDtype;
}

const MODELS: Record<string, BenchModel> = {
  qwen: {
    name: 'qwen',
    label: 'Qwen2.5-0.5B shape, random weights, q4, WASM',
    llm: 'slm-test/qwen2.5-0.5b-shape-random',
    modelHost: new URL('/bench-models', location.href).href,
    device: 'wasm',
    llmDtype: 'q4',
  },
  fixture: {
    name: 'fixture',
    label: 'fixture LLM (test-llm), SwiftShader WebGPU',
    llm: 'test-llm',
    modelHost: new URL('/models', location.href).href,
    device: 'webgpu',
  },
};

const params = new URLSearchParams(location.search);
const models = (params.get('models') ?? 'qwen,fixture').split(',').map((name) => {
  const model = MODELS[name];
  if (!model) throw new Error(`unknown model ${name}; try: ${Object.keys(MODELS).join(', ')}`);
  return model;
});
const sizes = (params.get('sizes') ?? '500,2000,4000').split(',').map(Number);
const greedy = { maxTokens: 2, temperature: 0 };
const DB = 'slm-memory-bench';

const log = (line: string) => {
  document.querySelector('#out')!.textContent += `${line}\n`;
  console.log(line);
};
const since = (start: number) => performance.now() - start;

/** A dictated visit of about `tokens` characters (the tokenizers read one byte per token). */
function visitOf(tokens: number): ChatMessage {
  const lines = [
    'Patient reports a dry cough for {n} days, worse at night.',
    'Takes amlodipine 10 mg daily and metformin 500 mg twice daily.',
    'Temperature 37.{n} degrees, saturation 96 percent on room air.',
    'Crackles at the right base; no wheeze; heart sounds normal.',
    'Plan: chest X-ray, amoxicillin 500 mg three times daily for {n} days.',
  ];
  const opening = 'You answer questions about this visit only.\n\nTranscript:\n';
  let text = '';
  for (let i = 0; text.length < tokens - opening.length - 40; i++) text += `${lines[i % lines.length]!.replaceAll('{n}', String((i % 9) + 1))} `;
  return { role: 'system', content: `${opening}${text.slice(0, Math.max(0, tokens - opening.length - 40))}` };
}

async function engineFor(model: BenchModel): Promise<{ engine: SlmEngine; loadMs: number }> {
  const started = performance.now();
  const engine = new SlmEngine({ llm: model.llm, modelHost: model.modelHost, device: model.device, llmDtype: model.llmDtype ?? null });
  await engine.load();
  return { engine, loadMs: since(started) };
}

interface Row {
  model: string;
  contextTokens: number;
  promptTokens: number;
  firstReadMs: number;
  reloadWithMemoryMs: number;
  reloadWithMemoryCachedTokens: number;
  reloadWithoutMemoryMs: number;
  sameSessionMs: number;
  sameSessionCachedTokens: number;
  storedBytes: number;
  storedBytesPer1000Tokens: number;
  exportMs: number;
  saveMs: number;
  restoreMs: number;
  readUnsealMs: number;
  importMs: number;
  speedup: number;
  sameTokens: boolean;
  placement: string;
}

async function measure(model: BenchModel, size: number, warm: SlmEngine): Promise<{ row: Row; next: SlmEngine }> {
  const system = visitOf(size);
  const question: ChatMessage = { role: 'user', content: 'What dose of amlodipine?' };
  const key = `visit-${model.name}-${size}`;

  // The visit's first question: the whole context is read once.
  const first = await warm.generate([system, question], { ...greedy, cacheKey: key });
  const followUp: ChatMessage[] = [system, question, { role: 'assistant', content: first.text }, { role: 'user', content: 'And for how long the cough?' }];
  let started = performance.now();
  const record = (await warm.exportPrefix({ cacheKey: key }))!;
  const exportMs = since(started);
  if (!record) throw new Error('nothing to export');
  // (c) The follow-up in the same session.
  const same = await warm.generate(followUp, { ...greedy, cacheKey: key });
  const placement = warm.state('llm').placement?.backend ?? '?';
  await warm.dispose();

  // Kept with the visit, sealed; then a "reload": the store and the engine anew.
  await deleteDatabase();
  let store = await VisitStore.open({ name: DB, requestPersistence: false });
  const visit = await store.create({ title: 'Bench' });
  started = performance.now();
  const saved = await store.putModelMemory(visit.id, record);
  const saveMs = since(started);
  if (!saved.stored) throw new Error(`not stored: ${saved.reason}`);
  store.close();
  store = await VisitStore.open({ name: DB, requestPersistence: false });

  // (a) With the stored memory: read + unseal, import, then the question.
  const { engine: restored } = await engineFor(model);
  started = performance.now();
  const memory = await store.getModelMemory(visit.id);
  const readUnsealMs = since(started);
  if (!memory) throw new Error('the stored memory could not be read back');
  const imported = await restored.importPrefix(memory as unknown as PrefixRecord, { cacheKey: key });
  const restoreMs = since(started);
  if (!imported.accepted) throw new Error(`the stored memory was refused: ${imported.reason}`);
  const withMemory = await restored.generate(followUp, { ...greedy, cacheKey: key });
  await restored.dispose();
  store.close();
  await deleteDatabase();

  // (b) Without it: a new engine reads the whole visit again. It then starts the next size.
  const { engine: fresh } = await engineFor(model);
  const without = await fresh.generate(followUp, { ...greedy, cacheKey: `${key}-fresh` });

  const ttft = (result: GenerationResult) => result.stats.timeToFirstTokenMs;
  const storedBytes = packMemory(memory).byteLength;
  return {
    next: fresh,
    row: {
      model: model.name,
      contextTokens: size,
      promptTokens: without.stats.promptTokens,
      firstReadMs: ttft(first),
      reloadWithMemoryMs: ttft(withMemory),
      reloadWithMemoryCachedTokens: withMemory.stats.cachedPromptTokens ?? 0,
      reloadWithoutMemoryMs: ttft(without),
      sameSessionMs: ttft(same),
      sameSessionCachedTokens: same.stats.cachedPromptTokens ?? 0,
      storedBytes,
      storedBytesPer1000Tokens: (storedBytes * 1000) / record.header.tokens,
      exportMs,
      saveMs,
      restoreMs,
      readUnsealMs,
      importMs: restoreMs - readUnsealMs,
      speedup: ttft(without) / (restoreMs + ttft(withMemory)),
      // Greedy decoding: the restored cache must give the tokens a full read gives.
      sameTokens: withMemory.text === without.text && same.text === without.text,
      placement,
    },
  };
}

function deleteDatabase(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

async function main() {
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const model of models) {
    log(`${model.label}: loading…`);
    const first = await engineFor(model);
    let engine = first.engine;
    log(`  loaded in ${s(first.loadMs)}`);
    for (const size of sizes) {
      const started = performance.now();
      try {
        const { row, next } = await measure(model, size, engine);
        engine = next;
        rows.push(row);
        log(
          `  ${String(size).padStart(5)} tokens (${row.placement}): reload with memory ${s(row.reloadWithMemoryMs)} + restore ${s(row.restoreMs)} | without ${s(row.reloadWithoutMemoryMs)} | same session ${s(row.sameSessionMs)} | ${(row.storedBytesPer1000Tokens / 1e6).toFixed(2)} MB per 1,000 tokens | ×${row.speedup.toFixed(1)} (${s(since(started))} in all)`,
        );
      } catch (error) {
        failures.push(`${model.name} ${size}: ${String(error)}`);
        log(`  ${size} tokens failed: ${String(error)}`);
        await engine.dispose().catch(() => undefined);
        engine = (await engineFor(model)).engine;
      }
    }
    await engine.dispose();
  }

  log('');
  log('Time to first token of a follow-up question (greedy, 2 tokens at most); (a) includes the restore (read + unseal + import)');
  log('model    context  prompt | (a) reload+memory  restore | (b) reload, none | (c) same session | stored/1k tok | save   | (b)/(a) | same tokens');
  for (const r of rows) {
    log(
      [
        r.model.padEnd(8),
        String(r.contextTokens).padStart(7),
        String(r.promptTokens).padStart(7),
        '|',
        s(r.restoreMs + r.reloadWithMemoryMs).padStart(17),
        s(r.restoreMs).padStart(8),
        '|',
        s(r.reloadWithoutMemoryMs).padStart(16),
        '|',
        s(r.sameSessionMs).padStart(16),
        '|',
        `${(r.storedBytesPer1000Tokens / 1e6).toFixed(2)} MB`.padStart(13),
        '|',
        s(r.saveMs).padStart(6),
        '|',
        `×${r.speedup.toFixed(1)}`.padStart(7),
        '|',
        r.sameTokens ? 'yes' : 'NO',
      ].join(' '),
    );
  }
  for (const failure of failures) log(`failed: ${failure}`);
  (window as unknown as { benchResult: unknown }).benchResult = { rows, failures, sizes, models: models.map((m) => m.label), userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency };
}

main().catch((error: unknown) => {
  log(`benchmark failed: ${String(error)}`);
  (window as unknown as { benchResult: unknown }).benchResult = { error: String(error) };
});

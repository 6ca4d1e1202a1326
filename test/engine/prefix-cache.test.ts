import { expect } from '@open-wc/testing';
import { SlmEngine, type DebugDetail } from '../../src/engine/slm-engine.js';
import type { ChatMessage } from '../../src/engine/types.js';
import { float16ToFloat32, float32ToFloat16, type PrefixRecord } from '../../src/engine/workers/prefix-record.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';

/** A visit as the chat sends it: a system prompt with the transcript, then the conversation. */
const visit = Array.from({ length: 12 }, (_, i) => `Segment ${i + 1}: patient reports cough for ${i + 2} days, takes amlodipine 10 mg daily.`).join(' ');
const system: ChatMessage = { role: 'system', content: `You answer questions about this visit only.\n\nTranscript:\n${visit}` };
const firstQuestion: ChatMessage = { role: 'user', content: 'What dose of amlodipine?' };
const followUp = (answer: string): ChatMessage[] => [system, firstQuestion, { role: 'assistant', content: answer }, { role: 'user', content: 'And for how long the cough?' }];

const greedy = { maxTokens: 12, temperature: 0 };

describe('the prompt cache (Transformers.js)', () => {
  const engines: SlmEngine[] = [];
  const newEngine = async () => {
    const engine = new SlmEngine({ llm: TEST_LLM, device: 'wasm', modelHost: await modelHostUrl() });
    engines.push(engine);
    return engine;
  };
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.dispose()));
  });

  it('reads only the new turn of a follow-up question, with the same tokens as a full read', async () => {
    const engine = await newEngine();
    const first = await engine.generate([system, firstQuestion], greedy);
    expect(first.stats.cachedPromptTokens).to.equal(0);
    const cached = await engine.generate(followUp(first.text), greedy);
    const full = await engine.generate(followUp(first.text), { ...greedy, reusePrefix: false });
    expect(full.stats.cachedPromptTokens).to.equal(0);
    // The whole first prompt and most of the answer were not read again.
    expect(cached.stats.cachedPromptTokens).to.be.greaterThan(first.stats.promptTokens);
    expect(cached.stats.promptTokens).to.equal(full.stats.promptTokens);
    expect(cached.text).to.equal(full.text);
  });

  it('keeps the cache across a reload, and decodes exactly as without it', async () => {
    const before = await newEngine();
    const first = await before.generate([system, firstQuestion], greedy);
    const record = (await before.exportPrefix())!;
    expect(record.header.tokens).to.be.greaterThan(first.stats.promptTokens);
    expect(record.header.modelId).to.contain('llama-tiny-random');
    await before.dispose();

    const after = await newEngine();
    const imported = await after.importPrefix(record);
    expect(imported).to.deep.include({ accepted: true, tokens: record.header.tokens });
    const restored = await after.generate(followUp(first.text), greedy);
    const fresh = await (await newEngine()).generate(followUp(first.text), greedy);
    expect(restored.stats.cachedPromptTokens).to.be.greaterThan(first.stats.promptTokens);
    expect(fresh.stats.cachedPromptTokens).to.equal(0);
    expect(restored.text).to.equal(fresh.text);
  });

  it('refuses a damaged or foreign cache with a reason, and still answers from a full read', async () => {
    const source = await newEngine();
    const first = await source.generate([system, firstQuestion], greedy);
    const record = (await source.exportPrefix())!;
    const target = await newEngine();
    const reasons: string[] = [];
    target.addEventListener('slm-debug', (event: CustomEvent<DebugDetail>) => reasons.push(event.detail.message));
    const variants: Array<[string, PrefixRecord, RegExp]> = [
      ['another weight format', { ...record, header: { ...record.header, dtype: 'q4' } }, /dtype/],
      ['another model', { ...record, header: { ...record.header, modelId: 'slm-test/other' } }, /modelId/],
      ['another revision', { ...record, header: { ...record.header, revision: '0000' } }, /revision/],
      ['an older format', { ...record, header: { ...record.header, format: 0 } }, /format 0/],
      ['truncated data', { ...record, data: record.data.slice(0, record.data.byteLength - 2) }, /bytes/],
      ['other tokens', { ...record, ids: record.ids.map((id, i) => (i === 3 ? id + 1 : id)) }, /hash/],
    ];
    for (const [name, bad, reason] of variants) {
      const result = await target.importPrefix(bad);
      expect(result.accepted, name).to.equal(false);
      expect(result.reason, name).to.match(reason);
    }
    expect(reasons).to.have.length(variants.length);
    expect(reasons[0]).to.match(/not used/);
    const answer = await target.generate(followUp(first.text), greedy);
    expect(answer.stats.cachedPromptTokens).to.equal(0);
    expect(answer.stats.completionTokens).to.equal(12);
  });

  it('stores half-precision values that round to nearest and keep specials', () => {
    const values = new Float32Array([0, -0, 1, -2.5, 65504, 70000, 1e-8, 6.1e-5, 3.14159, NaN, Infinity, -Infinity, 2 ** -24]);
    const back = float16ToFloat32(float32ToFloat16(values));
    expect(Array.from(back.slice(0, 5))).to.deep.equal([0, -0, 1, -2.5, 65504]);
    expect(back[5]).to.equal(Infinity);
    expect(back[6]).to.equal(0);
    expect(Math.abs(back[7]! - 6.1e-5) / 6.1e-5).to.be.lessThan(1e-3);
    expect(Math.abs(back[8]! - 3.14159)).to.be.lessThan(2e-3);
    expect(Number.isNaN(back[9])).to.equal(true);
    expect([back[10], back[11], back[12]]).to.deep.equal([Infinity, -Infinity, 2 ** -24]);
  });
});

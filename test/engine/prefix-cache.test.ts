import { expect } from '@open-wc/testing';
import { SlmEngine, type DebugDetail } from '../../src/engine/slm-engine.js';
import type { ChatMessage } from '../../src/engine/types.js';
import { float16ToFloat32, float32ToFloat16, type PrefixRecord } from '../../src/engine/workers/prefix-record.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';
import { recordFault } from '../support/faults.js';

/** A visit as the chat sends it: a system prompt with the transcript, then the conversation. */
const visit = Array.from({ length: 12 }, (_, i) => `Segment ${i + 1}: patient reports cough for ${i + 2} days, takes amlodipine 10 mg daily.`).join(' ');
const system: ChatMessage = { role: 'system', content: `You answer questions about this visit only.\n\nTranscript:\n${visit}` };
const firstQuestion: ChatMessage = { role: 'user', content: 'What dose of amlodipine?' };
const followUp = (answer: string): ChatMessage[] => [system, firstQuestion, { role: 'assistant', content: answer }, { role: 'user', content: 'And for how long the cough?' }];

const greedy = { maxTokens: 12, temperature: 0 };

describe('the prompt cache (Transformers.js)', function () {
  // Two engines load the fixture model; on a loaded machine a load alone can take a minute or two.
  this.timeout(300_000);
  let first: SlmEngine;
  let second: SlmEngine;
  const engine = async () => new SlmEngine({ llm: TEST_LLM, device: 'wasm', modelHost: await modelHostUrl() });
  before(async () => {
    [first, second] = [await engine(), await engine()];
  });
  after(() => Promise.all([first.dispose(), second.dispose()]));

  it('reads only the new turn of a follow-up question, with the same tokens as a full read', async () => {
    const opening = await first.generate([system, firstQuestion], { ...greedy, cacheKey: 'visit-a' });
    expect(opening.stats.cachedPromptTokens).to.equal(0);
    const cached = await first.generate(followUp(opening.text), { ...greedy, cacheKey: 'visit-a' });
    const full = await first.generate(followUp(opening.text), { ...greedy, cacheKey: 'visit-a', reusePrefix: false });
    expect(full.stats.cachedPromptTokens).to.equal(0);
    // The whole first prompt and most of the answer were not read again.
    expect(cached.stats.cachedPromptTokens).to.be.greaterThan(opening.stats.promptTokens);
    expect(cached.stats.promptTokens).to.equal(full.stats.promptTokens);
    expect(cached.text).to.equal(full.text);
  });

  it('never reuses or exports one visit’s cache under another’s key', async () => {
    await first.generate([system, firstQuestion], { ...greedy, cacheKey: 'visit-b' });
    const other = await first.generate([system, firstQuestion], { ...greedy, cacheKey: 'visit-c' });
    expect(other.stats.cachedPromptTokens).to.equal(0);
    expect(await first.exportPrefix({ cacheKey: 'visit-never-used' })).to.equal(null);
  });

  it('keeps the cache across a reload, and decodes exactly as without it', async () => {
    const opening = await first.generate([system, firstQuestion], { ...greedy, cacheKey: 'visit-d' });
    const record = (await first.exportPrefix({ cacheKey: 'visit-d' }))!;
    expect(record.header.tokens).to.be.greaterThan(opening.stats.promptTokens);
    expect(record.header.modelId).to.contain('llama-tiny-random');
    // A reload: another worker, which has never read this visit.
    const imported = await second.importPrefix(record, { cacheKey: 'visit-d' });
    expect(imported).to.deep.include({ accepted: true, tokens: record.header.tokens });
    const restored = await second.generate(followUp(opening.text), { ...greedy, cacheKey: 'visit-d' });
    const fresh = await second.generate(followUp(opening.text), { ...greedy, cacheKey: 'visit-d', reusePrefix: false });
    expect(restored.stats.cachedPromptTokens).to.be.greaterThan(opening.stats.promptTokens);
    expect(fresh.stats.cachedPromptTokens).to.equal(0);
    expect(restored.text).to.equal(fresh.text);
  });

  it('refuses a damaged or foreign cache with a reason, and still answers from a full read', async () => {
    const opening = await first.generate([system, firstQuestion], { ...greedy, cacheKey: 'visit-e' });
    const record = (await first.exportPrefix({ cacheKey: 'visit-e' }))!;
    const reasons: string[] = [];
    const listener = (event: Event) => void reasons.push((event as CustomEvent<DebugDetail>).detail.message);
    second.addEventListener('slm-debug', listener);
    const variants: Array<[string, PrefixRecord, RegExp]> = [
      ['another weight format', { ...record, header: { ...record.header, dtype: 'q4' } }, /dtype/],
      ['another model', { ...record, header: { ...record.header, modelId: 'slm-test/other' } }, /modelId/],
      ['another revision', { ...record, header: { ...record.header, revision: '0000' } }, /revision/],
      ['an older format', { ...record, header: { ...record.header, format: 0 } }, /format 0/],
      ['truncated data', { ...record, data: record.data.slice(0, record.data.byteLength - 2) }, /bytes/],
      ['other tokens', { ...record, ids: record.ids.map((id, i) => (i === 3 ? id + 1 : id)) }, /hash/],
    ];
    for (const [name, bad, reason] of variants) {
      const result = await second.importPrefix(bad, { cacheKey: 'visit-e' });
      expect(result.accepted, name).to.equal(false);
      expect(result.reason, name).to.match(reason);
      // Refused, never an error: the answer below still comes, from a full read.
      await recordFault(`a stored model memory from ${name}`, 'refused', { code: result.accepted ? 'accepted' : 'refused', lost: null });
    }
    second.removeEventListener('slm-debug', listener);
    expect(reasons).to.have.length(variants.length);
    expect(reasons[0]).to.match(/not used/);
    const answer = await second.generate(followUp(opening.text), { ...greedy, cacheKey: 'visit-e' });
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

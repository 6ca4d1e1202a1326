// node --test tools/bench/report.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { genericPairs, meets, pairsOf, renderReport } from './report.mjs';
import { summarise } from './load-run.mjs';

test('charts the LLM path against Transformers.js with its goal, and says whether it is met', () => {
  const [pair] = pairsOf('llm', { ours: 95, direct: 100, ratio: 0.95 });
  assert.equal(pair.a.value, 95);
  assert.equal(pair.b.value, 100);
  assert.equal(meets(pair), true);
  assert.equal(meets(pairsOf('llm', { ours: 90, direct: 100 })[0]), false);
});

test('charts the load bench cold against warm, the ready ratio and first words against their goals', () => {
  const summary = [
    { profile: '5g', figure: 'speechReadyMs', coldMs: 12_000, warmMs: 2_000, projected: false, coldOverWarm: 6 },
    { profile: '5g', figure: 'firstWordsMs', coldMs: 14_000, warmMs: 1_000, projected: false, coldOverWarm: 14 },
  ];
  const pairs = pairsOf('load', { runs: { '5g': { profile: { label: '5G' } } }, summary });
  assert.deepEqual(
    pairs.map((p) => [p.label, meets(p)]),
    [
      ['5G: page load to speech model ready', false],
      ['5G: page load to first transcribed words', null],
      ['5G: first transcribed words, cold', true],
    ],
  );
});

test('summarises the load bench: the speech model ready and first words, measured or projected, cold over warm', () => {
  const rows = summarise({
    '5g': { cold: { firstWordsMs: 14_000, models: { asr: { readyMs: 12_000 } } }, warm: { firstWordsMs: 4_000, models: { asr: { readyMs: 2_000 } } } },
    'slow-4g': { cold: { probeMbps: 1.5 }, projected: { speechReadyMs: 420_000, firstWordsMs: 424_000 } },
  });
  assert.deepEqual(
    rows.map((r) => [r.profile, r.figure, r.coldMs, r.projected, r.warmMs, r.coldOverWarm]),
    [
      ['5g', 'speechReadyMs', 12_000, false, 2_000, 6],
      ['5g', 'firstWordsMs', 14_000, false, 4_000, 3.5],
      ['slow-4g', 'speechReadyMs', 420_000, true, null, null],
      ['slow-4g', 'firstWordsMs', 424_000, true, null, null],
    ],
  );
});

test('charts each model\'s latency p90 against the second, with the goal for Moonshine only, and the token estimate beside it', () => {
  const live = { moonshine: { p50Ms: 800, p90Ms: 950 }, whisper: { p50Ms: 1800, p90Ms: 2600 } };
  const pairs = pairsOf('latency', { live, tokens: { moonshine: { p50Ms: 700, p90Ms: 820 } } });
  assert.deepEqual(
    pairs.map((p) => [p.label, p.a.value, p.b.value, meets(p)]),
    [
      ['End of speech to final text on screen, moonshine, p90', 950, 1000, true],
      ["moonshine, p90: random weights against a trained model's token count (estimate)", 820, 950, null],
      ['End of speech to final text on screen, whisper, p90', 2600, 1000, null],
    ],
  );
});

test('falls back to any two numbers side by side for a bench it does not know', () => {
  const pairs = genericPairs({ devices: { results: { whisper: { wasm: 900, webgpu: 1400 } } } });
  assert.equal(pairs.length, 1);
  assert.equal(pairs[0].label, 'devices › results › whisper');
  assert.deepEqual([pairs[0].a.value, pairs[0].b.value], [900, 1400]);
});

test('renders one page with an SVG per pair, escapes what it shows, and shows a failed bench with its log', () => {
  const html = renderReport({
    date: '2026-12-02',
    quick: false,
    benches: [
      { name: 'llm', ok: true, seconds: 60, run: { command: 'npm run bench:llm', machine: { cpus: 2, cpu: 'AMD <EPYC>', memoryGiB: 24, loadAverageAtStart: [1, 2, 3], loadAverageAtEnd: [1, 2, 3] }, ours: 95, direct: 100 } },
      { name: 'asr', ok: false, seconds: 3, error: 'exited with 1', logTail: "ModuleNotFoundError: No module named 'torch'" },
    ],
  });
  assert.equal((html.match(/<svg /g) ?? []).length, 1);
  assert.match(html, /ratio 0\.95 \(goal ≥ 0\.95\) ✓/);
  assert.match(html, /AMD &lt;EPYC&gt;/);
  assert.match(html, /No module named &#39;torch&#39;/);
  assert.match(html, /1 of 2 benches ran · 1 of 1 goals met/);
  assert.doesNotMatch(html, /https?:\/\//);
});

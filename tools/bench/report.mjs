// The page `npm run bench` writes (bench-results/index.html): each figure beside its counterpart
// of the same run, as two bars and their ratio, with the goal where the project has one. Inline
// SVG and CSS only: the page opens offline and screenshots the same anywhere.

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const best = (values) => Math.min(...values);
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * One comparison: `a` against `b` (both in `unit`), their ratio a/b, and a goal on that ratio
 * (`{ op: '>=' | '<=', value }`) where the project states one.
 * @typedef {{ label: string, unit: string, a: { name: string, value: number }, b: { name: string, value: number }, goal?: { op: '>=' | '<=', value: number }, note?: string }} Pair
 */

/** What each bench's `window.benchResult` holds, as pairs. Unknown benches fall back to `genericPairs`. */
const extractors = {
  llm: (v) => [
    { label: 'LLM decode, fixture model on WASM', unit: 'tokens/s', a: { name: 'slm-provider', value: v.ours }, b: { name: 'Transformers.js direct', value: v.direct }, goal: { op: '>=', value: 0.95 } },
  ],
  asr: (v) => {
    const pairs = [];
    if (v.ours?.length && v.direct?.length) {
      pairs.push({ label: `Speech, file path (${v.seconds?.toFixed?.(0) ?? '?'} s of audio, best round)`, unit: 's', a: { name: 'slm-transcriber', value: best(v.ours) }, b: { name: 'Transformers.js pipeline', value: best(v.direct) }, goal: { op: '<=', value: 1.05 }, note: 'speech overhead ≤ 5%' });
    }
    const cpu = v.trace?.longestCpu?.cpuMs;
    if (isNumber(cpu)) pairs.push({ label: 'Longest main-thread task while dictating (CPU time)', unit: 'ms', a: { name: 'measured', value: cpu }, b: { name: 'goal', value: 50 }, goal: { op: '<=', value: 1 }, note: 'main-thread tasks < 50 ms' });
    if (isNumber(v.longestTask) && v.longestTask > 0) pairs.push({ label: 'Longest task while dictating (Long Tasks API, wall time)', unit: 'ms', a: { name: 'measured', value: v.longestTask }, b: { name: 'goal', value: 50 }, goal: { op: '<=', value: 1 } });
    return pairs;
  },
  note: (v) =>
    v.draft?.length && v.token?.length
      ? [
          { label: 'Note after a final segment (median)', unit: 'ms', a: { name: 'instant draft shown', value: median(v.draft) }, b: { name: 'first LLM token', value: median(v.token) }, note: 'the draft covers the model’s wait' },
          { label: 'Note update, first token and complete (median)', unit: 'ms', a: { name: 'first LLM token', value: median(v.token) }, b: { name: 'update complete', value: median(v.complete) } },
        ]
      : [],
  memory: (v) =>
    (v.rows ?? []).map((row) => ({
      label: `Follow-up after a reload, ${row.model}, ${row.contextTokens} tokens of visit`,
      unit: 's',
      a: { name: 'without the model’s memory', value: row.reloadWithoutMemoryMs / 1000 },
      b: { name: 'with it (restore + first token)', value: row.reloadWithMemoryMs / 1000 },
      ...(row.contextTokens === 2000 ? { goal: { op: '>=', value: 5 }, note: '≥ 5× at 2,000 tokens' } : {}),
    })),
  latency: (v) => {
    const pairs = [];
    for (const [model, live] of Object.entries(v.live ?? {})) {
      // The project's goal is for a Moonshine-sized model; other models are shown against the same second.
      pairs.push({ label: `End of speech to final text on screen, ${model}, p90`, unit: 'ms', a: { name: 'measured', value: live.p90Ms }, b: { name: 'goal', value: 1000 }, ...(model === 'moonshine' ? { goal: { op: '<=', value: 1 }, note: 'p90 ≤ 1.0 s with a Moonshine-sized model' } : {}) });
      const tokens = v.tokens?.[model];
      if (tokens) pairs.push({ label: `${model}, p90: random weights against a trained model's token count (estimate)`, unit: 'ms', a: { name: 'with its text’s tokens', value: tokens.p90Ms }, b: { name: 'at the cap (measured)', value: live.p90Ms } });
    }
    return pairs;
  },
  load: (v) => {
    const names = { speechReadyMs: 'speech model ready', firstWordsMs: 'first transcribed words', noteModelUpdateMs: 'note’s first model update', chatFirstTokenMs: 'first chat token' };
    const pairs = [];
    for (const row of v.summary ?? []) {
      const profile = v.runs?.[row.profile]?.profile?.label ?? row.profile;
      if (isNumber(row.warmMs)) {
        // The goal is a warm reload *ready* ten times sooner; the other figures are charted beside it.
        const goal = row.figure === 'speechReadyMs' ? { goal: { op: '>=', value: 10 }, note: 'a warm reload ready ≥ 10× faster' } : {};
        pairs.push({ label: `${profile}: page load to ${names[row.figure]}`, unit: 's', a: { name: 'cold cache', value: row.coldMs / 1000 }, b: { name: 'warm cache', value: row.warmMs / 1000 }, ...goal });
      }
      if (row.figure === 'firstWordsMs') {
        pairs.push({ label: `${profile}: first transcribed words, cold${row.projected ? ' (projected)' : ''}`, unit: 's', a: { name: 'measured', value: row.coldMs / 1000 }, b: { name: 'goal', value: 15 }, ...(row.profile === '5g' ? { goal: { op: '<=', value: 1 }, note: 'first words ≤ 15 s cold on 5G' } : {}) });
      }
    }
    return pairs;
  },
};

/** Any object with two or more numbers among its own fields: its first two, side by side. */
export function genericPairs(value, path = []) {
  if (!value || typeof value !== 'object' || path.length > 4) return [];
  const numbers = Object.entries(value).filter(([, v]) => isNumber(v));
  const pairs = [];
  if (numbers.length >= 2 && !Array.isArray(value) && path.at(-1) !== 'machine') {
    const [[an, av], [bn, bv]] = numbers;
    pairs.push({ label: path.join(' › ') || 'result', unit: '', a: { name: an, value: av }, b: { name: bn, value: bv } });
  }
  for (const [key, child] of Object.entries(value)) if (key !== 'machine' && child && typeof child === 'object' && !Array.isArray(child)) pairs.push(...genericPairs(child, [...path, key]));
  return pairs;
}

/** The pairs of one bench's result; never throws (a result of a new shape falls back to `genericPairs`). */
export function pairsOf(name, value) {
  try {
    const pairs = (extractors[name] ?? genericPairs)(value).filter((p) => isNumber(p.a.value) && isNumber(p.b.value));
    return pairs.length ? pairs : genericPairs(value);
  } catch {
    return genericPairs(value);
  }
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

/** Whether the pair's ratio meets its goal: true, false, or null without a goal. */
export function meets(pair) {
  if (!pair.goal) return null;
  const ratio = pair.a.value / pair.b.value;
  return pair.goal.op === '>=' ? ratio >= pair.goal.value : ratio <= pair.goal.value;
}

/** Two bars on one scale, and the ratio. */
function chart(pair) {
  const width = 600;
  const barArea = 290;
  const max = Math.max(pair.a.value, pair.b.value) || 1;
  const bar = (value) => Math.max(1, (value / max) * barArea);
  const ok = meets(pair);
  const colour = ok === null ? '#59636e' : ok ? '#1a7f37' : '#c62828';
  const ratio = pair.a.value / pair.b.value;
  const goal = pair.goal ? ` (goal ${pair.goal.op === '>=' ? '≥' : '≤'} ${pair.goal.value})` : '';
  const row = (y, side, fill) => `
    <text x="0" y="${y + 13}" class="name">${escape(side.name)}</text>
    <rect x="215" y="${y}" width="${bar(side.value).toFixed(1)}" height="18" rx="3" fill="${fill}"/>
    <text x="${(221 + bar(side.value)).toFixed(1)}" y="${y + 13}" class="value">${fmt(side.value)} ${escape(pair.unit)}</text>`;
  return `<figure class="pair" data-ok="${ok}">
  <figcaption>${escape(pair.label)}</figcaption>
  <svg role="img" aria-label="${escape(`${pair.label}: ${pair.a.name} ${fmt(pair.a.value)}, ${pair.b.name} ${fmt(pair.b.value)} ${pair.unit}`)}" width="${width}" height="70" viewBox="0 0 ${width} 70">${row(2, pair.a, '#0b6bcb')}${row(26, pair.b, '#8c959f')}
    <text x="0" y="64" class="ratio" style="fill: ${colour}">ratio ${fmt(ratio)}${escape(goal)}${ok === null ? '' : ok ? ' ✓' : ' ✗'}${pair.note ? ` · ${escape(pair.note)}` : ''}</text>
  </svg>
</figure>`;
}

const machineLine = (m) =>
  m ? `${m.cpus} × ${escape(m.cpu ?? 'CPU')}, ${m.memoryGiB} GiB; load average ${m.loadAverageAtStart?.map((l) => l.toFixed(1)).join(' ')} at start, ${m.loadAverageAtEnd?.map((l) => l.toFixed(1)).join(' ')} at end` : '';

/**
 * The whole page.
 * @param {{ date: string, quick: boolean, benches: Array<{ name: string, ok: boolean, seconds: number, run?: { command?: string, machine?: object } & Record<string, unknown>, error?: string, logTail?: string }> }} report
 */
export function renderReport({ date, quick, benches }) {
  const sections = benches.map((bench) => {
    const pairs = bench.ok && bench.run ? pairsOf(bench.name, bench.run) : [];
    const head = `<h2>${escape(bench.name)} <small>${bench.ok ? 'ran' : bench.seconds ? 'failed' : 'not run'}${bench.seconds ? ` in ${Math.round(bench.seconds)} s` : ''}${bench.run?.finishedAt ? `, finished ${escape(bench.run.finishedAt.slice(0, 16).replace('T', ' '))} UTC` : ''}</small></h2>`;
    if (!bench.ok) return `<section class="failed">${head}<p>${escape(bench.error ?? 'failed')}</p>${bench.logTail ? `<pre>${escape(bench.logTail)}</pre>` : ''}</section>`;
    const command = bench.run?.command ? `<p class="meta"><code>${escape(bench.run.command)}</code> · ${machineLine(bench.run.machine)}</p>` : '';
    return `<section>${head}${command}${pairs.map(chart).join('\n') || '<p>No figures to chart.</p>'}</section>`;
  });
  const all = benches.flatMap((b) => (b.ok && b.run ? pairsOf(b.name, b.run) : []));
  const goals = all.filter((p) => p.goal);
  const met = goals.filter((p) => meets(p)).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>slm-elements benchmarks, ${escape(date)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; color: #1f2328; margin: 24px; max-width: 1200px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 4px; border-bottom: 1px solid #d0d7de; }
  h2 small, .meta { color: #59636e; font-weight: normal; font-size: 12px; }
  .grid, section { display: flex; flex-wrap: wrap; gap: 4px 24px; }
  section > h2, section > p, section > pre { flex-basis: 100%; }
  figure { margin: 6px 0; }
  figcaption { font-weight: 600; font-size: 13px; }
  svg text { font: 12px system-ui, sans-serif; fill: #1f2328; }
  svg text.ratio { font-weight: 600; }
  .failed { color: #c62828; }
  pre { background: #f6f8fa; padding: 8px; overflow: auto; font-size: 11px; color: #1f2328; }
</style>
</head>
<body>
<h1>slm-elements benchmarks${quick ? ' (quick smoke run: fewer rounds, figures are rough)' : ''}</h1>
<p class="meta">${escape(date)} · ${benches.filter((b) => b.ok).length} of ${benches.length} benches ran · ${met} of ${goals.length} goals met · every pair was measured in the same run, bars on one scale</p>
${sections.join('\n')}
</body>
</html>
`;
}

/**
 * WGSL for Whisper's log-mel features, generated for one configuration (FFT size, hop, frame
 * and mel counts are constants, and the FFT's stages are unrolled), so the compiler sees no
 * data-dependent loops in the hot path.
 *
 * Three passes, like Transformers.js's `spectrogram(…, { log_mel: 'log10_max_norm' })`:
 * 1. `frames`: one workgroup per frame: reflect-padded window → mixed-radix FFT in workgroup
 *    memory → power spectrum → mel filter bank → log10 (floor 1e-10), and the frame's maximum.
 * 2. `reduce`: the maximum over all frames (the dynamic range is set by the whole window).
 * 3. `normalise`: max(x, max − 8), then (x + 4) / 4.
 */

export interface LogMelShape {
  /** FFT size (Whisper: 400). */
  nFft: number;
  /** Samples between frames (Whisper: 160). */
  hop: number;
  /** Frames written (Whisper: 3000 for 30 s). */
  nFrames: number;
  /** Samples in the (zero-padded) signal the frames are cut from (Whisper: 480 000). */
  nSamples: number;
  /** Mel bands (80, or 128 for large-v3). */
  nMels: number;
}

export const WORKGROUP = 64;
const REDUCE_WORKGROUP = 256;

/** Radices 4, 5, 3 and 2 that multiply to `n`, or null when other factors remain (the runner then declines). */
export function fftRadices(n: number): number[] | null {
  const radices: number[] = [];
  let rest = n;
  for (const r of [4, 5, 3, 2]) {
    while (rest % r === 0) {
      radices.push(r);
      rest /= r;
    }
  }
  return rest === 1 ? radices : null;
}

/**
 * One Stockham (self-sorting, decimation in frequency) stage of radix `r`: for the current
 * sub-length n = N / s, every butterfly takes r inputs m = n / r apart, applies the r-point
 * DFT, then the twiddle W_N^(j·p·s), and writes them r·p + j apart; after the last stage the
 * spectrum is in natural order. All twiddles come from one table of W_N^k computed in f64 on the CPU,
 * because WGSL's sin/cos are not accurate enough for 1e-4 after the log.
 */
function stage(index: number, r: number, s: number, n: number, from: string, to: string): string {
  const m = n / r;
  const N = n * s;
  // The r-point DFT is written out with its roots of unity as literals: no private arrays or
  // inner loops, which SwiftShader (and some drivers) handle poorly.
  const root = (e: number) => `vec2f(${literal(Math.cos((2 * Math.PI * e) / r))}, ${literal(-Math.sin((2 * Math.PI * e) / r))})`;
  const loads = Array.from({ length: r }, (_, k) => `    let a${k} = ${from}[q + ${s}u * (p + ${k * m}u)];`);
  const outputs = Array.from({ length: r }, (_, j) => {
    const terms = Array.from({ length: r }, (_, k) => ((j * k) % r === 0 ? `a${k}` : `cmul(a${k}, ${root((j * k) % r)})`));
    const sum = terms.join(' + ');
    return j === 0 ? `    ${to}[q + ${s}u * (${r}u * p)] = ${sum};` : `    ${to}[q + ${s}u * (${r}u * p + ${j}u)] = cmul(${sum}, twiddle[${j}u * p * ${s}u]);`;
  });
  return /* wgsl */ `
fn stage${index}(lid: u32) {
  for (var t = lid; t < ${N / r}u; t += ${WORKGROUP}u) {
    let p = t / ${s}u;
    let q = t % ${s}u;
${loads.join('\n')}
${outputs.join('\n')}
  }
}`;
}

/** A WGSL float literal with all of f64's digits (the compiler rounds it to f32 once). */
const literal = (x: number) => {
  const snapped = Math.abs(x - Math.round(x)) < 1e-12 ? Math.round(x) : x;
  return Number.isInteger(snapped) ? `${snapped}.0` : `${snapped}`;
};

export function logMelShader(shape: LogMelShape): string {
  const { nFft, hop, nFrames, nSamples, nMels } = shape;
  const radices = fftRadices(nFft);
  if (!radices) throw new RangeError(`FFT size ${nFft} has a prime factor above 5.`);
  const bins = Math.floor(nFft / 2) + 1;
  const stages: string[] = [];
  const calls: string[] = [];
  let s = 1;
  let n = nFft;
  radices.forEach((r, i) => {
    const [from, to] = i % 2 === 0 ? ['bufA', 'bufB'] : ['bufB', 'bufA'];
    stages.push(stage(i, r, s, n, from, to));
    calls.push(`  stage${i}(lid);\n  workgroupBarrier();`);
    s *= r;
    n /= r;
  });
  const spectrum = radices.length % 2 === 0 ? 'bufA' : 'bufB';
  return /* wgsl */ `
const N = ${nFft}u;
const HOP = ${hop}u;
const FRAMES = ${nFrames}u;
const SAMPLES = ${nSamples}i;
const BINS = ${bins}u;
const MELS = ${nMels}u;
const PAD = ${Math.floor(nFft / 2)}i;

@group(0) @binding(0) var<storage, read> signal: array<f32>;
@group(0) @binding(1) var<storage, read> window: array<f32>;
@group(0) @binding(2) var<storage, read> twiddle: array<vec2f>;
@group(0) @binding(3) var<storage, read> melWeights: array<f32>;
@group(0) @binding(4) var<storage, read> melRanges: array<vec2u>;
@group(0) @binding(5) var<storage, read_write> logMel: array<f32>;
@group(0) @binding(6) var<storage, read_write> frameMax: array<f32>;

var<workgroup> bufA: array<vec2f, N>;
var<workgroup> bufB: array<vec2f, N>;
var<workgroup> power: array<f32, BINS>;
var<workgroup> partial: array<f32, ${WORKGROUP}>;

fn cmul(a: vec2f, b: vec2f) -> vec2f { return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
${stages.join('\n')}

@compute @workgroup_size(${WORKGROUP})
fn frames(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let frame = wid.x;
  // Centred frames: the signal is reflected (without repeating the edge) by N / 2 at both ends.
  for (var j = lid; j < N; j += ${WORKGROUP}u) {
    var at = i32(frame * HOP + j) - PAD;
    if (at < 0) { at = -at; }
    if (at >= SAMPLES) { at = 2 * (SAMPLES - 1) - at; }
    bufA[j] = vec2f(signal[at] * window[j], 0.0);
  }
  workgroupBarrier();
${calls.join('\n')}
  for (var k = lid; k < BINS; k += ${WORKGROUP}u) {
    let c = ${spectrum}[k];
    power[k] = c.x * c.x + c.y * c.y;
  }
  workgroupBarrier();
  var highest = -1e30;
  for (var m = lid; m < MELS; m += ${WORKGROUP}u) {
    let range = melRanges[m];
    var sum = 0.0;
    for (var k = range.x; k < range.y; k++) { sum += melWeights[m * BINS + k] * power[k]; }
    let value = log2(max(sum, 1e-10)) * 0.30102999566398120;
    logMel[m * FRAMES + frame] = value;
    highest = max(highest, value);
  }
  partial[lid] = highest;
  workgroupBarrier();
  for (var half = ${WORKGROUP / 2}u; half > 0u; half >>= 1u) {
    if (lid < half) { partial[lid] = max(partial[lid], partial[lid + half]); }
    workgroupBarrier();
  }
  if (lid == 0u) { frameMax[frame] = partial[0]; }
}

var<workgroup> partialMax: array<f32, ${REDUCE_WORKGROUP}>;

@compute @workgroup_size(${REDUCE_WORKGROUP})
fn reduce(@builtin(local_invocation_index) lid: u32) {
  var highest = -1e30;
  for (var f = lid; f < FRAMES; f += ${REDUCE_WORKGROUP}u) { highest = max(highest, frameMax[f]); }
  partialMax[lid] = highest;
  workgroupBarrier();
  for (var half = ${REDUCE_WORKGROUP / 2}u; half > 0u; half >>= 1u) {
    if (lid < half) { partialMax[lid] = max(partialMax[lid], partialMax[lid + half]); }
    workgroupBarrier();
  }
  if (lid == 0u) { frameMax[FRAMES] = partialMax[0]; }
}

@compute @workgroup_size(${REDUCE_WORKGROUP})
fn normalise(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= MELS * FRAMES) { return; }
  let floor = frameMax[FRAMES] - 8.0;
  logMel[i] = (max(logMel[i], floor) + 4.0) / 4.0;
}
`;
}

export const NORMALISE_WORKGROUP = REDUCE_WORKGROUP;

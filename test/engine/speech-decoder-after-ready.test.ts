import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { configureTransformers } from '../../src/engine/workers/transformers-env.js';
import { loadAudio } from '../support/audio.js';
import { failure } from '../support/failure.js';
import { recordFault } from '../support/faults.js';
import { modelHostRequests, modelHostUrl, resetModelHost, resetModelHostAndCaches, serveModelBytes, serveModelFile, TEST_ASR } from '../support/model-host.js';

const MODEL = 'slm-test/whisper-tiny-random';
const DECODER = `${MODEL}/resolve/main/onnx/decoder_model_merged.onnx`;
const CACHE = 'transformers-cache';

/** The fixture decoder with every MatMul node's operator renamed: well-formed ONNX that onnxruntime cannot build. */
async function unbuildableDecoder(host: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await (await fetch(`${host}/${DECODER}`)).arrayBuffer());
  // NodeProto's op_type (field 4, length 6) "MatMul" → "MatMuX": the same length, so every other field stays whole.
  const from = [0x22, 6, ...new TextEncoder().encode('MatMul')];
  let renamed = 0;
  for (let i = 0; i + from.length <= bytes.length; i++) {
    if (from.every((byte, j) => bytes[i + j] === byte)) {
      bytes[i + from.length - 1] = 'X'.charCodeAt(0);
      renamed++;
    }
  }
  expect(renamed, 'MatMul nodes renamed').to.be.greaterThan(0);
  return bytes;
}

describe('a Whisper on WASM, its decoder’s session built once the model is ready', function () {
  // Each test loads the fixture Whisper two or three times: on a loaded two-core machine that outlasts the usual limit.
  this.timeout(240_000);
  let host: string;
  let audio: Float32Array;
  before(async () => {
    host = await modelHostUrl();
    audio = (await loadAudio('/test/fixtures/audio/jfk.wav')).subarray(0, 16_000 * 3);
  });
  beforeEach(() => resetModelHostAndCaches(CACHE));
  after(() => resetModelHostAndCaches(CACHE));

  it('reads, asked at once after ready, word for word what Transformers.js reads with its decoder built first', async () => {
    const library = await import('@huggingface/transformers');
    configureTransformers(library, { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false }, undefined, 'wasm');
    const direct = (await library.pipeline('automatic-speech-recognition', MODEL, { device: 'wasm', dtype: 'fp32' })) as unknown as ((audio: Float32Array, options: object) => Promise<{ text: string }>) & { dispose(): Promise<void> };
    const expected = (await direct(audio, { max_new_tokens: 224 })).text.trim();
    await direct.dispose();
    expect(expected).to.not.equal('');

    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host, useBrowserCache: false });
    try {
      await engine.load(['asr']);
      // Asked before the worker has had a moment alone: the reading waits for the decoder's build.
      const [first, second] = await Promise.all([engine.transcribe(audio), engine.transcribe(audio)]);
      expect(first.text).to.equal(expected);
      expect(second.text).to.equal(expected);
      // The memory the worker recycling counts from was asked after the build, and answered.
      expect(engine.slot('asr').workerMemory?.baseline?.wasmHeapBytes).to.be.greaterThan(1024 * 1024);
    } finally {
      await engine.dispose();
    }
  });

  it('is ready before its decoder is built: one that cannot be built ends the worker at its first reading, which is read again once the host serves it whole', async () => {
    await serveModelBytes(DECODER, await unbuildableDecoder(host));
    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host, useBrowserCache: false });
    const reported: ErrorDetail[] = [];
    engine.addEventListener('slm-error', (event) => reported.push((event as CustomEvent<ErrorDetail>).detail));
    try {
      // The decoder's session would fail the load if it were built in it.
      await engine.load(['asr']);
      expect(engine.state('asr').status).to.equal('ready');

      const error = await failure(engine.transcribe(audio));
      expect(error.code).to.equal('worker-crashed');
      expect(error.message).to.contain('decoder could not be built').and.contain('MatMuX');
      expect(reported.map((r) => r.error.code)).to.deep.equal(['worker-crashed']);

      await resetModelHost();
      const again = await engine.transcribe(audio);
      expect(again.text.trim()).to.not.equal('');
      expect(engine.state('asr').status).to.equal('ready');
      await recordFault('a speech model’s decoder cannot be built once the model is ready (an operator the runtime lacks)', 'worker-crashed', { code: error.code, lost: null });
    } finally {
      await engine.dispose();
    }
  });

  it('still fails the load, before ready, on a decoder the runtime could not even parse', async () => {
    await serveModelFile(DECODER, 'not a model');
    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host, useBrowserCache: false });
    try {
      const error = await failure(engine.load(['asr']));
      expect(error.code).to.equal('model-load-failed');
      expect(engine.state('asr').status).to.not.equal('ready');
    } finally {
      await engine.dispose();
    }
  });

  it('repairs a damaged cached decoder within the load, from the host, and reads as ever', async () => {
    const warm = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host });
    const expected = (await warm.transcribe(audio)).text;
    await warm.dispose();
    // Same length, wrong bytes: the cache's length check passes; the decoder's structure check does not.
    const cache = await caches.open(CACHE);
    const key = `${host}/${DECODER}`;
    const length = (await (await cache.match(key))!.arrayBuffer()).byteLength;
    await cache.put(key, new Response(new Uint8Array(length).fill(0x7b), { headers: { 'content-length': String(length) } }));
    await resetModelHost();

    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host });
    try {
      const errors: unknown[] = [];
      engine.addEventListener('slm-error', (event) => errors.push(event));
      expect((await engine.transcribe(audio)).text).to.equal(expected);
      expect(errors).to.have.length(0);
      expect((await modelHostRequests()).filter((r) => r.path.endsWith('/decoder_model_merged.onnx') && r.range === null)).to.have.length(1);
      await recordFault('a speech model’s cached decoder is corrupt (found in the load, before its build is put off)', 'recovered', { code: 'recovered', lost: null });
    } finally {
      await engine.dispose();
    }
  });
});

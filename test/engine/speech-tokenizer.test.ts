import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { ErrorDetail, LoadProgress } from '../../src/engine/types.js';
import { loadAudio } from '../support/audio.js';
import { nextEvent } from '../support/events.js';
import { failure } from '../support/failure.js';
import { recordFault } from '../support/faults.js';
import { modelHostRequests, modelHostUrl, resetModelHost, resetModelHostAndCaches, serveModelFile, TEST_ASR } from '../support/model-host.js';

const MODEL = 'slm-test/whisper-tiny-random';
const CACHE = 'transformers-cache';
const TOKENIZER = `${MODEL}/resolve/main/tokenizer.json`;

/** What the fixture Whisper reads from two seconds of speech, with nothing going wrong. */
async function referenceReading(host: string, audio: Float32Array): Promise<string> {
  const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host, useBrowserCache: false });
  try {
    return (await engine.transcribe(audio)).text;
  } finally {
    await engine.dispose();
  }
}

describe('a speech model’s tokenizer, read and parsed with the load, built after the model is ready', function () {
  // Each test loads the speech model two or three times: on a loaded two-core machine that outlasts the usual limit.
  this.timeout(240_000);
  let host: string;
  let audio: Float32Array;
  before(async () => {
    host = await modelHostUrl();
    audio = (await loadAudio('/test/fixtures/audio/jfk.wav')).subarray(0, 16_000 * 2);
  });
  beforeEach(() => resetModelHostAndCaches(CACHE));
  after(() => resetModelHostAndCaches(CACHE));

  it('counts the tokenizer’s files in the load’s download from its first report, and has them all in at ready', async () => {
    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host });
    const reports: LoadProgress[] = [];
    engine.addEventListener('slm-load-progress', (event) => reports.push((event as CustomEvent<LoadProgress>).detail));
    try {
      await engine.load(['asr']);
      const tokenizerBytes = (await (await fetch(`${host}/${TOKENIZER}`)).arrayBuffer()).byteLength;
      const first = reports.find((r) => r.totalBytes > 0)!;
      expect(first.files.find((f) => f.file === 'tokenizer.json')?.totalBytes).to.equal(tokenizerBytes);
      const last = reports.at(-1)!;
      expect(last.phase).to.equal('ready');
      expect(last.loadedBytes).to.equal(last.totalBytes);
      expect(last.totalBytes).to.equal(first.totalBytes);
      // Kept for a reload, like every other file of the load.
      expect(await (await caches.open(CACHE)).match(`${host}/${TOKENIZER}`)).to.not.equal(undefined);
    } finally {
      await engine.dispose();
    }
  });

  it('fails the load with a typed error when the host serves the tokenizer broken, keeps none of it, and once the host is fixed loads and reads as ever', async () => {
    const expected = await referenceReading(host, audio);
    await serveModelFile(TOKENIZER, '{"model": {"type": "BPE", "vocab": ');
    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host });
    try {
      // The load parses the tokenizer's files (only their build waits until after ready), so a model whose
      // readings could not be written out is never reported ready, before the clinician speaks.
      const reported = nextEvent<CustomEvent<ErrorDetail>>(engine, 'slm-error');
      const error = await failure(engine.load(['asr']));
      expect(error.code).to.equal('model-load-failed');
      expect(error.message).to.contain('tokenizer');
      expect(engine.state('asr').status).to.not.equal('ready');
      expect((await reported).detail.error.code).to.equal('model-load-failed');
      expect(await (await caches.open(CACHE)).match(`${host}/${TOKENIZER}`), 'the broken copy is not kept').to.equal(undefined);

      await resetModelHost();
      const again = await engine.transcribe(audio);
      expect(again.text).to.equal(expected);
      const downloads = (await modelHostRequests()).filter((r) => r.path.endsWith('/tokenizer.json') && r.range === null);
      expect(downloads, 'the tokenizer fetched again from the fixed host').to.have.length(1);
      const kept = await (await caches.open(CACHE)).match(`${host}/${TOKENIZER}`);
      expect(JSON.parse(await kept!.text())).to.have.property('model');
      await recordFault('the model host serves a speech model’s tokenizer.json broken, then is fixed', 'model-load-failed', { code: error.code, lost: null });
    } finally {
      await engine.dispose();
    }
  });

  it('repairs a damaged cached tokenizer within the load, from the host, and reads as ever', async () => {
    const expected = await referenceReading(host, audio);
    const warm = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host });
    await warm.load(['asr']);
    await warm.dispose();
    // Same length, wrong bytes: the cache's length check passes, only parsing can tell.
    const cache = await caches.open(CACHE);
    const key = `${host}/${TOKENIZER}`;
    const length = (await (await cache.match(key))!.arrayBuffer()).byteLength;
    await cache.put(key, new Response(new Uint8Array(length).fill(0x7b), { headers: { 'content-length': String(length) } }));
    await resetModelHost();

    const engine = new SlmEngine({ asr: TEST_ASR, device: 'wasm', modelHost: host });
    try {
      const errors: unknown[] = [];
      engine.addEventListener('slm-error', (event) => errors.push(event));
      const reading = await engine.transcribe(audio);
      expect(reading.text).to.equal(expected);
      expect(errors).to.have.length(0);
      expect((await modelHostRequests()).filter((r) => r.path.endsWith('/tokenizer.json') && r.range === null)).to.have.length(1);
      expect(JSON.parse(await (await cache.match(key))!.text())).to.have.property('model');
      await recordFault('a speech model’s cached tokenizer.json is corrupt (found when the load parses it)', 'recovered', { code: 'recovered', lost: null });
    } finally {
      await engine.dispose();
    }
  });
});

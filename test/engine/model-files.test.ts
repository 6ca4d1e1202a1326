import { expect } from '@open-wc/testing';
import { integrityOf } from '../../src/engine/model-files/integrity.js';
import { createModelFetch } from '../../src/engine/model-files/model-fetch.js';
import { ModelFiles } from '../../src/engine/model-files/model-files.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { recordFault } from '../support/faults.js';
import { faultModelFile, modelHostRequests, modelHostUrl, resetModelHost, TEST_LLM } from '../support/model-host.js';

const MODEL = 'slm-test/llama-tiny-random';
const WEIGHTS = 'onnx/model.onnx';
const CACHE = 'transformers-cache';
const question = [{ role: 'user' as const, content: 'Hi' }];
/** Retries without the real backoff: the tests check what is retried, not how long it waits. */
const quick = { baseDelayMs: 5, maxDelayMs: 20 };

/** The fixture's true bytes, read from the page's own server, not the model host. */
async function fixtureBytes(file = WEIGHTS): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await (await fetch(`/test/fixtures/models/${MODEL}/${file}`)).arrayBuffer());
}

async function failure(promise: Promise<unknown>): Promise<SlmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the promise to reject').to.be.instanceOf(SlmError);
  return error as SlmError;
}

/** Reads a body chunk by chunk, keeping the running total after each, as a progress bar would. */
async function readAll(response: Response): Promise<{ bytes: Uint8Array; totals: number[] }> {
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  const totals: number[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
    totals.push(total);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) bytes.set(part, (offset += part.length) - part.length);
  return { bytes, totals };
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe('Model file downloads', () => {
  let host: string;
  let url: string;
  beforeEach(async () => {
    host = await modelHostUrl();
    url = `${host}/${MODEL}/resolve/main/${WEIGHTS}`;
    await resetModelHost();
    await caches.delete(CACHE);
  });
  after(() => resetModelHost());

  it('retries a file the host answers 503 for, and delivers it whole', async () => {
    await faultModelFile(WEIGHTS, { status: 503, times: 2 });
    const response = await createModelFetch({ retry: quick })(url);
    expect(same((await readAll(response)).bytes, await fixtureBytes())).to.equal(true);
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS))).to.have.length(3);
  });

  it('waits as long as a 429 answer’s Retry-After asks', async () => {
    await faultModelFile(WEIGHTS, { status: 429, retryAfter: 2, times: 1 });
    const waits: number[] = [];
    const modelFetch = createModelFetch({ retry: quick, sleep: async (ms) => void waits.push(ms) });
    expect((await modelFetch(url)).status).to.equal(200);
    expect(waits).to.deep.equal([2000]);
  });

  it('gives up on a host that keeps failing with a typed error naming the file', async () => {
    await faultModelFile(WEIGHTS, { status: 503 });
    const error = await failure(createModelFetch({ retry: { ...quick, attempts: 2 } })(url));
    expect(error.code).to.equal('model-host-unreachable');
    expect(error.message).to.contain(WEIGHTS).and.contain('503');
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS))).to.have.length(3);
  });

  it('resumes a download that broke off with a Range request, and progress never goes back', async () => {
    await faultModelFile(WEIGHTS, { truncateAt: 300_000, times: 1 });
    const { bytes, totals } = await readAll(await createModelFetch({ retry: quick })(url));
    expect(same(bytes, await fixtureBytes())).to.equal(true);
    expect(totals).to.deep.equal([...totals].sort((a, b) => a - b));
    const ranges = (await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS)).map((r) => r.range);
    // It asks for the rest from wherever the connection dropped (no later than the 300,000th byte).
    expect(ranges).to.have.length(2);
    expect(ranges[0]).to.equal(null);
    expect(Number(/^bytes=(\d+)-$/.exec(ranges[1] ?? '')?.[1])).to.be.within(0, 300_000);
  });

  it('starts over where the host ignores Range, skipping what it already delivered', async () => {
    await faultModelFile(WEIGHTS, { truncateAt: 300_000, times: 1, ignoreRange: true });
    const { bytes, totals } = await readAll(await createModelFetch({ retry: quick })(url));
    expect(same(bytes, await fixtureBytes())).to.equal(true);
    expect(totals).to.deep.equal([...totals].sort((a, b) => a - b));
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS))).to.have.length(2);
  });

  it('refuses a file whose bytes do not match its pin, naming the file', async () => {
    await faultModelFile(WEIGHTS, { corrupt: true });
    const pin = await integrityOf(await fixtureBytes());
    const response = await createModelFetch({ expect: async () => ({ integrity: pin }) })(url);
    const error = await failure(readAll(response));
    expect(error.code).to.equal('model-integrity');
    expect(error.message).to.contain(WEIGHTS).and.contain(MODEL).and.contain(pin);
  });

  it('holds files to the host’s slm-integrity.json, and pins nothing where the host has none', async () => {
    const pin = await integrityOf(await fixtureBytes());
    const manifest = { files: { [WEIGHTS]: { integrity: pin, size: 872_276 } } };
    const asked: string[] = [];
    const standIn = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      return String(input).endsWith('slm-integrity.json') ? Response.json(manifest) : new Response('x');
    }) as typeof fetch;
    const files = new ModelFiles({ host, wasmPaths: '/', useBrowserCache: false, integrityManifest: true }, undefined, standIn);
    expect(await files.expect(url)).to.deep.equal({ integrity: pin, size: 872_276 });
    expect(await files.expect(`${host}/${MODEL}/resolve/main/config.json`)).to.equal(null);
    // One request for the manifest, from the model host, however many files ask.
    expect(asked).to.deep.equal([`${host}/${MODEL}/resolve/main/slm-integrity.json`]);

    const absent = new ModelFiles({ host, wasmPaths: '/', useBrowserCache: false, integrityManifest: true });
    expect(await absent.expect(url)).to.equal(null);
    const off = new ModelFiles({ host, wasmPaths: '/', useBrowserCache: false, integrityManifest: false }, undefined, standIn);
    expect(await off.expect(url)).to.equal(null);
    expect(asked).to.have.length(1);
  });

  it('refuses a malformed pin as a configuration mistake', async () => {
    const files = new ModelFiles({ host, wasmPaths: '/', useBrowserCache: false, integrity: { [MODEL]: { [WEIGHTS]: 'sha256-abc' } } });
    expect((await failure(files.expect(url))).code).to.equal('invalid-argument');
  });
});

describe('Model files in an engine load', function () {
  // Each test loads a model (some twice): on a loaded two-core machine that outlasts the usual limit.
  this.timeout(240_000);
  let host: string;
  beforeEach(async () => {
    host = await modelHostUrl();
    await resetModelHost();
    await caches.delete(CACHE);
  });
  after(() => resetModelHost());

  const cachedWeights = async () => (await caches.open(CACHE)).match(`${host}/${MODEL}/resolve/main/${WEIGHTS}`);

  /** Puts the model's files in the cache as a finished load leaves them, without the cost of a load. */
  async function cacheModel(): Promise<void> {
    const cache = await caches.open(CACHE);
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', WEIGHTS]) {
      const bytes = await fixtureBytes(file);
      await cache.put(`${host}/${MODEL}/resolve/main/${file}`, new Response(bytes, { headers: { 'content-length': String(bytes.length) } }));
    }
  }

  it('loads through a host that answers 503 twice', async () => {
    await faultModelFile(WEIGHTS, { status: 503, times: 2 });
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host, downloadRetry: quick });
    await engine.load(['llm']);
    const answer = await engine.generate(question, { maxTokens: 2 });
    expect(answer.stats.completionTokens).to.equal(2);
    await recordFault('the model host answers 503 twice, then serves the file', 'recovered', { code: 'recovered', lost: null });
    await engine.dispose();
  });

  it('resumes a download that broke off, and loads', async () => {
    await faultModelFile(WEIGHTS, { truncateAt: 200_000, times: 1 });
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host, downloadRetry: quick });
    await engine.load(['llm']);
    // Asked for the rest from wherever the connection dropped (the browser may have handed over none of it yet).
    const resumed = (await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS) && r.range !== null && r.range !== 'bytes=0-0');
    expect(resumed.map((r) => r.range)).to.have.length(1).and.to.satisfy((ranges: string[]) => /^bytes=\d+-$/.test(ranges[0]));
    expect((await (await cachedWeights())!.arrayBuffer()).byteLength).to.equal(872_276);
    await recordFault('a model download breaks off half-way (resumed with Range)', 'recovered', { code: 'recovered', lost: null });
    await engine.dispose();
  });

  it('refuses a served file that does not match its pin, keeps nothing of it, and loads once the host is fixed', async () => {
    await faultModelFile(WEIGHTS, { corrupt: true });
    const integrity = { [MODEL]: { [WEIGHTS]: await integrityOf(await fixtureBytes()) } };
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host, integrity });
    const error = await failure(engine.load(['llm']));
    expect(error.code).to.equal('model-integrity');
    expect(error.message).to.contain(WEIGHTS);
    expect(engine.state('llm').error?.code).to.equal('model-integrity');
    expect(await cachedWeights()).to.equal(undefined);

    await resetModelHost();
    await engine.load(['llm']);
    expect(engine.state('llm').status).to.equal('ready');
    await recordFault('a model file does not match its integrity pin', 'model-integrity', { code: error.code, lost: null });
    await engine.dispose();
  });

  it('deletes a corrupt cached file it cannot parse, fetches it again once, and loads', async () => {
    await cacheModel();
    // Same length, wrong bytes: only the runtime's parser can tell.
    const cache = await caches.open(CACHE);
    const key = `${host}/${MODEL}/resolve/main/${WEIGHTS}`;
    await cache.put(key, new Response(new Uint8Array(872_276).fill(7), { headers: { 'content-length': '872276' } }));

    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host });
    await engine.load(['llm']);
    expect((await engine.generate(question, { maxTokens: 2 })).stats.completionTokens).to.equal(2);
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS) && !r.range)).to.have.length(1);
    expect(same(new Uint8Array(await (await cachedWeights())!.arrayBuffer()), await fixtureBytes())).to.equal(true);
    await recordFault('a cached model file is corrupt (the runtime cannot parse it)', 'recovered', { code: 'recovered', lost: null });
    await engine.dispose();
  });

  it('deletes a truncated cached file before the runtime sees it, and fetches it again', async () => {
    await cacheModel();
    const cache = await caches.open(CACHE);
    const key = `${host}/${MODEL}/resolve/main/${WEIGHTS}`;
    const whole = await fixtureBytes();
    await cache.put(key, new Response(whole.slice(0, 400_000), { headers: { 'content-length': String(whole.length) } }));

    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host });
    await engine.load(['llm']);
    expect(engine.state('llm').status).to.equal('ready');
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS) && !r.range)).to.have.length(1);
    expect(same(new Uint8Array(await (await cachedWeights())!.arrayBuffer()), whole)).to.equal(true);
    await recordFault('a cached model file is truncated', 'recovered', { code: 'recovered', lost: null });
    await engine.dispose();
  });

  it('verifies a model’s cached files against their pins, and repairs the damaged one from the model host', async () => {
    const integrity = { [MODEL]: { [WEIGHTS]: await integrityOf(await fixtureBytes()) } };
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host, integrity });
    await cacheModel();
    const cache = await caches.open(CACHE);
    const key = `${host}/${MODEL}/resolve/main/${WEIGHTS}`;
    // Same length, one byte changed: only the pin can tell.
    const damaged = await fixtureBytes();
    damaged[1000] ^= 0xff;
    await cache.put(key, new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));

    const found = await engine.cache.verify(MODEL);
    expect(found.damaged).to.equal(1);
    expect(found.files.find((f) => f.file === WEIGHTS)).to.include({ status: 'damaged' });
    expect(found.files.filter((f) => f.status === 'ok')).to.have.length(found.files.length - 1);

    await resetModelHost();
    const repaired = await engine.cache.repair(MODEL);
    expect(repaired.files.find((f) => f.file === WEIGHTS)).to.include({ status: 'repaired' });
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS))).to.have.length(1);
    expect(same(new Uint8Array(await (await cachedWeights())!.arrayBuffer()), await fixtureBytes())).to.equal(true);
    expect((await engine.cache.verify(MODEL)).damaged).to.equal(0);
    await engine.dispose();
  });
});

import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import { integrityOf } from '../../src/engine/model-files/integrity.js';
import { createModelFetch, type DownloadRetry } from '../../src/engine/model-files/model-fetch.js';
import { ModelFiles } from '../../src/engine/model-files/model-files.js';
import { integrityOfStream, Sha256 } from '../../src/engine/model-files/sha256.js';
import { ENTRY_HEADER, VERIFIED_CACHE } from '../../src/engine/model-files/verified-marks.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { recordFault } from '../support/faults.js';
import { faultModelFile, modelHostRequests, modelHostUrl, resetModelHost, serveModelFile, TEST_LLM } from '../support/model-host.js';
import { failure } from '../support/failure.js';

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
    await caches.delete(VERIFIED_CACHE);
  });
  after(async () => {
    await resetModelHost();
    await caches.delete(VERIFIED_CACHE);
  });

  it('retries a file the host answers 503 for, says so before each wait, and delivers it whole', async () => {
    await faultModelFile(WEIGHTS, { status: 503, times: 2 });
    const retries: DownloadRetry[] = [];
    const response = await createModelFetch({ retry: quick, onRetry: (retry) => retries.push(retry) })(url);
    expect(same((await readAll(response)).bytes, await fixtureBytes())).to.equal(true);
    expect((await modelHostRequests()).filter((r) => r.path.endsWith(WEIGHTS))).to.have.length(3);
    expect(retries.map(({ url, attempt, of }) => ({ url, attempt, of }))).to.deep.equal([
      { url, attempt: 1, of: 4 },
      { url, attempt: 2, of: 4 },
    ]);
    expect(retries.every((r) => r.delayMs > 0 && r.delayMs <= quick.maxDelayMs)).to.equal(true);
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

  it('hashes incrementally: the same SHA-256 as WebCrypto, whatever the chunks', async () => {
    const bytes = await fixtureBytes();
    expect(await integrityOfStream(new Blob([bytes]).stream())).to.equal(await integrityOf(bytes));
    // Pieces of every awkward length: within a 64-byte block, across blocks, empty.
    const hash = new Sha256();
    for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 3) % 4099) hash.update(bytes.subarray(at, at + step));
    expect(hash.integrity()).to.equal(await integrityOf(bytes));

    // A figure, not a check (the machine's load varies): hashing speed against WebCrypto's one-shot digest.
    const big = new Uint8Array(32 * 1024 * 1024).map((_, i) => i * 31);
    let t = performance.now();
    const incremental = new Sha256();
    for (let at = 0; at < big.length; at += 64 * 1024) incremental.update(big.subarray(at, at + 64 * 1024));
    const streamed = incremental.integrity();
    const noble = performance.now() - t;
    t = performance.now();
    expect(await integrityOf(big)).to.equal(streamed);
    const webCrypto = performance.now() - t;
    console.log(`SHA-256 of 32 MiB: @noble/hashes incremental ${(32_000 / noble).toFixed(0)} MiB/s, WebCrypto one-shot ${(32_000 / webCrypto).toFixed(0)} MiB/s`);
  });

  it('checks a pinned download chunk by chunk as it streams (48 MB), and refuses it under a wrong pin', async () => {
    const chunk = 64 * 1024;
    const chunks = 768;
    const piece = (i: number) => new Uint8Array(chunk).fill(i % 251).fill((i * 13) % 256, 0, 100);
    const expected = new Sha256();
    for (let i = 0; i < chunks; i++) expected.update(piece(i));
    const pin = expected.integrity();
    const source = () => {
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === chunks) return controller.close();
          controller.enqueue(piece(i++));
        },
      });
    };
    const standIn = (async () => new Response(source(), { headers: { 'content-length': String(chunk * chunks) } })) as typeof fetch;
    const verified: string[] = [];
    const good = await createModelFetch({ fetch: standIn, expect: async () => ({ integrity: pin }), onVerified: (u) => void verified.push(u) })(url);
    let received = 0;
    const reader = good.body!.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) received += next.value.length;
    expect(received).to.equal(chunk * chunks);
    expect(verified).to.deep.equal([url]);

    const wrongPin = await integrityOf(new Uint8Array(1));
    const bad = await createModelFetch({ fetch: standIn, expect: async () => ({ integrity: wrongPin }) })(url);
    expect((await failure(readAll(bad))).code).to.equal('model-integrity');
  });

  it('holds files to the host’s slm-integrity.json, and pins nothing where the host has none', async () => {
    const pin = await integrityOf(await fixtureBytes());
    const manifest = { files: { [WEIGHTS]: { integrity: pin, size: 872_276 } } };
    const asked: string[] = [];
    const standIn = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      return String(input).endsWith('slm-integrity.json') ? Response.json(manifest) : new Response('x');
    }) as typeof fetch;
    const files = new ModelFiles({ host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false, integrityManifest: true }, undefined, standIn);
    expect(await files.expect(url)).to.deep.equal({ integrity: pin, size: 872_276 });
    expect(await files.expect(`${host}/${MODEL}/resolve/main/config.json`)).to.equal(null);
    // One request for the manifest, from the model host, however many files ask.
    expect(asked).to.deep.equal([`${host}/${MODEL}/resolve/main/slm-integrity.json`]);

    const absent = new ModelFiles({ host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false, integrityManifest: true });
    expect(await absent.expect(url)).to.equal(null);
    const off = new ModelFiles({ host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false, integrityManifest: false }, undefined, standIn);
    expect(await off.expect(url)).to.equal(null);
    expect(asked).to.have.length(1);
  });

  it('marks a pinned file hashed on its way into the cache, trusts the mark while the entry is the same, and hashes a rewritten one', async () => {
    const manifestPath = `${MODEL}/resolve/main/slm-integrity.json`;
    const pin = await integrityOf(await fixtureBytes());
    await serveModelFile(manifestPath, JSON.stringify({ files: { [WEIGHTS]: { integrity: pin, size: 872_276 } } }));
    const config = { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true, integrityManifest: true };
    // A download, stored as Transformers.js stores it: the body read whole, then put.
    const first = new ModelFiles(config);
    const body = await (await first.fetch(url)).arrayBuffer();
    await first.cache!.put(url, new Response(body, { headers: { 'content-length': String(body.byteLength) } }));
    expect((await caches.open(CACHE).then((c) => c.match(url)))?.headers.get(ENTRY_HEADER)).to.match(/^[0-9a-f]{32}$/);

    // A later load from the cache alone: pinned by the manifest kept from the download (the host
    // is not asked), and not hashed again.
    const asked = (await modelHostRequests()).length;
    const later = new ModelFiles(config);
    expect(await later.cache!.match(url)).to.be.instanceOf(Response);
    expect([...later.cache!.hashed]).to.deep.equal([]);
    expect(later.cache!.discarded).to.deep.equal([]);
    expect(await modelHostRequests()).to.have.length(asked);

    // Rewritten with one byte changed (a plain put, as anything else writes it): hashed, refused, deleted.
    const damaged = new Uint8Array(body.slice(0));
    damaged[1000] ^= 0xff;
    await (await caches.open(CACHE)).put(url, new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));
    const afterDamage = new ModelFiles(config);
    expect(await afterDamage.cache!.match(url)).to.equal(undefined);
    expect(afterDamage.cache!.discarded.map((d) => d.reason)).to.have.length(1).and.to.satisfy((r: string[]) => r[0].includes(pin));
    expect(await (await caches.open(CACHE)).match(url)).to.equal(undefined);

    // Rewritten with the right bytes but no mark: hashed once, then trusted.
    await (await caches.open(CACHE)).put(url, new Response(body, { headers: { 'content-length': String(body.byteLength) } }));
    const unmarked = new ModelFiles(config);
    expect(await unmarked.cache!.match(url)).to.be.instanceOf(Response);
    expect([...unmarked.cache!.hashed]).to.deep.equal([url]);
    const next = new ModelFiles(config);
    expect(same(new Uint8Array(await (await next.cache!.match(url))!.arrayBuffer()), await fixtureBytes())).to.equal(true);
    expect([...next.cache!.hashed]).to.deep.equal([]);
  });

  it('writes behind: putBehind returns before the write, a read of that file waits for it, and settled means stored', async () => {
    const files = new ModelFiles({ host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true });
    const body = await fixtureBytes();
    // A body that arrives only when let through: the write cannot finish before then.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await gate;
        controller.enqueue(body);
        controller.close();
      },
    });
    let returned = false;
    await files.cache!.putBehind(url, new Response(stream, { headers: { 'content-length': String(body.length) } })).then(() => (returned = true));
    expect(returned).to.equal(true);
    expect(await (await caches.open(CACHE)).match(url)).to.equal(undefined);
    const read = files.cache!.match(url);
    release();
    const response = await read;
    expect(same(new Uint8Array(await response!.arrayBuffer()), body)).to.equal(true);
    await files.cache!.settled();
    expect(await (await caches.open(CACHE)).match(url)).to.be.instanceOf(Response);
  });

  it('warns of a write behind that fails, and neither the caller nor settled throws', async () => {
    const files = new ModelFiles({ host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const broken = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error('the disk went away')) });
      await files.cache!.putBehind(url, new Response(broken));
      await files.cache!.settled();
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include(url).and.to.include('network error');
    expect(await (await caches.open(CACHE)).match(url)).to.equal(undefined);
  });

  it('refuses a malformed pin as a configuration mistake', async () => {
    const files = new ModelFiles({ host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false, integrity: { [MODEL]: { [WEIGHTS]: 'sha256-abc' } } });
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
    await caches.delete(VERIFIED_CACHE);
  });
  after(async () => {
    await resetModelHost();
    await caches.delete(VERIFIED_CACHE);
  });

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

  it('holds a load from the cache alone to the host’s slm-integrity.json: a file changed since it was verified is fetched again', async () => {
    const manifestPath = `${MODEL}/resolve/main/slm-integrity.json`;
    const manifest = JSON.stringify({ files: { [WEIGHTS]: { integrity: await integrityOf(await fixtureBytes()), size: 872_276 } } });
    await serveModelFile(manifestPath, manifest);
    const first = new SlmEngine({ llm: TEST_LLM, modelHost: host });
    await first.load(['llm']);
    await first.dispose();
    expect((await modelHostRequests()).filter((r) => r.path.endsWith('slm-integrity.json'))).to.have.length(1);

    // Same length, one byte changed, written as anything but the engine writes it.
    const cache = await caches.open(CACHE);
    const key = `${host}/${MODEL}/resolve/main/${WEIGHTS}`;
    const damaged = await fixtureBytes();
    damaged[1000] ^= 0xff;
    await cache.put(key, new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));

    await resetModelHost();
    await serveModelFile(manifestPath, manifest);
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: host });
    await engine.load(['llm']);
    expect((await engine.generate(question, { maxTokens: 2 })).stats.completionTokens).to.equal(2);
    // Only the changed file came from the host again (the library may also ask for files the fixture lacks).
    const downloads = (await modelHostRequests()).filter((r) => !r.range).map((r) => r.path.split('/resolve/main/')[1]);
    expect(downloads.filter((file) => file === WEIGHTS)).to.have.length(1);
    for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) expect(downloads).to.not.include(file);
    expect(same(new Uint8Array(await (await cachedWeights())!.arrayBuffer()), await fixtureBytes())).to.equal(true);
    await recordFault('a cached model file changed after it was verified (pinned by slm-integrity.json, loaded from the cache alone)', 'recovered', { code: 'recovered', lost: null });
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

import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import type { AppConfig, InitProgressCallback } from '@mlc-ai/web-llm';
import type { BackendProgress } from '../../src/engine/backends/backend.js';
import type { MlcEngineFactoryConfig } from '../../src/engine/backends/webllm-backend.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import { ModelCache } from '../../src/engine/model-cache.js';
import { integrityOf } from '../../src/engine/model-files/integrity.js';
import { presetPinsOf } from '../../src/engine/model-files/preset-pins.js';
import { VERIFIED_CACHE } from '../../src/engine/model-files/verified-marks.js';
import { useModelFilesForWebLlm } from '../../src/engine/model-files/webllm-files.js';
import type { ModelHostConfig, ModelPreset } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { FakeMLCEngine } from '../fakes/fake-mlc-engine.js';
import { recordFault } from '../support/faults.js';
import { faultModelFile, modelHostRequests, modelHostUrl, resetModelHost, serveModelFile } from '../support/model-host.js';
import { failure } from '../support/failure.js';
import { fixture, LIB, MODEL_ID, modelList, placement, REPO } from '../support/webllm-fixture.js';

const WEBLLM_CACHES = ['webllm/config', 'webllm/wasm', 'webllm/model'];
const quick = { baseDelayMs: 5, maxDelayMs: 20 };

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * WebLLM's worker as far as downloads go: our message installs the model-file wrapper in the
 * worker's scope (here a scope object of the test's own, so the page's `caches` stays as it is),
 * and the fake WebLLM downloads through that scope's `caches` exactly as WebLLM 0.2.86 does.
 */
function workerLike() {
  const scope = { caches: globalThis.caches, fetch: globalThis.fetch.bind(globalThis) };
  const factory = async (modelId: string, config: MlcEngineFactoryConfig & { initProgressCallback: InitProgressCallback; appConfig: AppConfig }) => {
    // As postMessage hands it over: the port for retry reports is transferred, not copied.
    if (config.files) useModelFilesForWebLlm(scope, structuredClone(config.files, { transfer: config.files.progress ? [config.files.progress] : [] }));
    const engine = new FakeMLCEngine({ downloads: scope.caches, stepDelayMs: 0 });
    engine.setAppConfig(config.appConfig);
    engine.setInitProgressCallback(config.initProgressCallback);
    await engine.reload(modelId);
    return engine;
  };
  return { scope, factory };
}

describe('WebLLM’s model downloads from the model host', function () {
  this.timeout(120_000);
  let host: string;
  let config: ModelHostConfig;
  const fileUrl = (file: string) => `${host}/${REPO}/resolve/main/${file}`;
  const cached = async (file: string) => (await caches.open('webllm/model')).match(fileUrl(file));
  const clean = async () => {
    for (const name of [...WEBLLM_CACHES, VERIFIED_CACHE]) await caches.delete(name);
  };

  beforeEach(async () => {
    host = await modelHostUrl();
    config = { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true, integrityManifest: true, retry: quick };
    await resetModelHost();
    await clean();
  });
  after(async () => {
    await resetModelHost();
    await clean();
  });

  async function load(hostConfig = config, onProgress: (progress: BackendProgress) => void = () => undefined) {
    const backend = new WebLlmBackend({ createEngine: workerLike().factory, modelList });
    await backend.load({ placement, host: hostConfig, onProgress });
    return backend;
  }

  /** The retries a load reported, as the tracker gets them. */
  const retriesOf = (reports: BackendProgress[]) => reports.flatMap((p) => (p.type === 'retry' ? [{ file: p.file, attempt: p.attempt, of: p.of }] : []));

  async function serveManifest(files: string[]) {
    const pins: Record<string, { integrity: string; size: number }> = {};
    for (const file of files) {
      const bytes = await fixture(file);
      pins[file] = { integrity: await integrityOf(bytes), size: bytes.length };
    }
    await serveModelFile(`${REPO}/resolve/main/slm-integrity.json`, JSON.stringify({ files: pins }));
  }

  it('retries a file the host answers 503 for and resumes a shard that broke off', async () => {
    await faultModelFile('mlc-chat-config.json', { status: 503, times: 2 });
    await faultModelFile('params_shard_0.bin', { truncateAt: 100_000, times: 1 });
    const reports: BackendProgress[] = [];
    const backend = await load(config, (p) => reports.push(p));
    const requests = await modelHostRequests();
    expect(requests.filter((r) => r.path.endsWith('mlc-chat-config.json'))).to.have.length(3);
    // Each wait is told, by file, so the load reads "waiting for the model host", not a stalled download.
    expect(retriesOf(reports).filter((r) => r.file === 'mlc-chat-config.json')).to.deep.equal([
      { file: 'mlc-chat-config.json', attempt: 1, of: 4 },
      { file: 'mlc-chat-config.json', attempt: 2, of: 4 },
    ]);
    const shard = requests.filter((r) => r.path.endsWith('params_shard_0.bin')).map((r) => r.range);
    expect(shard).to.have.length(2);
    expect(shard[1]).to.match(/^bytes=\d+-$/);
    expect(same(new Uint8Array(await (await cached('params_shard_0.bin'))!.arrayBuffer()), await fixture('params_shard_0.bin'))).to.equal(true);
    await backend.unload();
    await recordFault('a WebLLM download: the host answers 503 twice, a shard breaks off half-way (retried, resumed)', 'recovered', { code: 'recovered', lost: null });
  });

  it('refuses a weight shard that does not match the host’s slm-integrity.json, keeps nothing of it, and loads once the host is fixed', async () => {
    await serveManifest(['params_shard_1.bin']);
    await faultModelFile('params_shard_1.bin', { corrupt: true });
    const error = await failure(load());
    expect(error.code).to.equal('model-integrity');
    expect(error.message).to.contain('params_shard_1.bin').and.contain(REPO);
    expect(await cached('params_shard_1.bin')).to.equal(undefined);

    await resetModelHost();
    await serveManifest(['params_shard_1.bin']);
    await (await load()).unload();
    expect(same(new Uint8Array(await (await cached('params_shard_1.bin'))!.arrayBuffer()), await fixture('params_shard_1.bin'))).to.equal(true);
    await recordFault('a WebLLM weight shard does not match its pin (slm-integrity.json)', 'model-integrity', { code: error.code, lost: null });
  });

  it('holds a load from the cache alone to the pins: a shard changed since it was verified is fetched again, the others are not', async () => {
    await serveManifest(['params_shard_0.bin', 'params_shard_1.bin']);
    await (await load()).unload();
    const damaged = await fixture('params_shard_0.bin');
    damaged[5] ^= 0xff;
    await (await caches.open('webllm/model')).put(fileUrl('params_shard_0.bin'), new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));

    await resetModelHost();
    await serveManifest(['params_shard_0.bin', 'params_shard_1.bin']);
    await (await load()).unload();
    const downloads = (await modelHostRequests()).filter((r) => !r.path.endsWith('slm-integrity.json')).map((r) => r.path.split('/resolve/main/')[1]);
    expect(downloads).to.deep.equal(['params_shard_0.bin']);
    expect(same(new Uint8Array(await (await cached('params_shard_0.bin'))!.arrayBuffer()), await fixture('params_shard_0.bin'))).to.equal(true);
    await recordFault('a cached WebLLM shard changed after it was verified (loaded from the cache alone)', 'recovered', { code: 'recovered', lost: null });
  });

  it('verify() hashes WebLLM’s cached files against their pins, and repair() fetches the damaged one again', async () => {
    await serveManifest(['params_shard_1.bin']);
    await (await load()).unload();
    const damaged = await fixture('params_shard_1.bin');
    damaged[7] ^= 0xff;
    await (await caches.open('webllm/model')).put(fileUrl('params_shard_1.bin'), new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));

    const cache = new ModelCache(caches, () => config);
    const found = await cache.verify(REPO);
    expect(found.damaged).to.equal(1);
    expect(found.files.find((f) => f.file === 'params_shard_1.bin')).to.include({ status: 'damaged' });
    const repaired = await cache.repair(REPO);
    expect(repaired.files.find((f) => f.file === 'params_shard_1.bin')).to.include({ status: 'repaired' });
    expect(same(new Uint8Array(await (await cached('params_shard_1.bin'))!.arrayBuffer()), await fixture('params_shard_1.bin'))).to.equal(true);
    expect((await cache.verify(REPO)).damaged).to.equal(0);
  });

  it('verify() and repair() hold WebLLM’s cached files to the preset’s pins too', async () => {
    const unpinned = { ...config, integrityManifest: false };
    await (await load(unpinned)).unload();
    const good = await fixture('params_shard_1.bin');
    const damaged = good.slice();
    damaged[7] ^= 0xff;
    await (await caches.open('webllm/model')).put(fileUrl('params_shard_1.bin'), new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));
    // Same length: only a hash can tell, and only the preset pins this file.
    expect((await new ModelCache(caches, () => unpinned).verify(REPO)).damaged).to.equal(0);

    const preset = { id: MODEL_ID, kind: 'llm', runtime: 'webllm', modelId: MODEL_ID, integrity: { 'params_shard_1.bin': await integrityOf(good) } } as unknown as ModelPreset;
    const pins = presetPinsOf(preset, (id) => modelList.find((r) => r.model_id === id)?.model);
    expect(pins?.repos).to.deep.equal([REPO, 'mlc-ai/binary-mlc-llm-libs']);
    const cache = new ModelCache(caches, () => unpinned, async () => [pins!]);
    const found = await cache.verify(REPO);
    expect(found.damaged).to.equal(1);
    expect(found.files.find((f) => f.file === 'params_shard_1.bin')).to.include({ status: 'damaged' });
    expect((await cache.repair(REPO)).files.find((f) => f.file === 'params_shard_1.bin')).to.include({ status: 'repaired' });
    expect(same(new Uint8Array(await (await cached('params_shard_1.bin'))!.arrayBuffer()), good)).to.equal(true);
    expect((await cache.verify(REPO)).damaged).to.equal(0);
  });

  it('in WebLLM’s own worker, with the real WebLLM: retries its files, and refuses a model library that does not match its pin', async () => {
    // The real WebLLM fetches the configuration and the model library before it compiles the
    // library, which this fixture is not; so the load fails after them, as it must here.
    await faultModelFile('mlc-chat-config.json', { status: 503, times: 2 });
    const reports: BackendProgress[] = [];
    const loaded = await new WebLlmBackend({ modelList })
      .load({ placement, host: config, onProgress: (p) => reports.push(p) })
      .then(
        () => null,
        (e: unknown) => e as SlmError,
      );
    expect(loaded?.code, 'the fixture library cannot be compiled').to.not.be.oneOf([undefined, 'model-host-unreachable', 'model-file-missing', 'model-integrity']);
    expect((await modelHostRequests()).filter((r) => r.path.endsWith('mlc-chat-config.json'))).to.have.length(3);
    expect(retriesOf(reports), 'told from WebLLM’s worker').to.deep.equal([
      { file: 'mlc-chat-config.json', attempt: 1, of: 4 },
      { file: 'mlc-chat-config.json', attempt: 2, of: 4 },
    ]);

    await resetModelHost();
    await clean();
    const wrong = await integrityOf(new Uint8Array([1, 2, 3]));
    const pinned = { ...config, integrity: { 'mlc-ai/binary-mlc-llm-libs': { [LIB]: wrong } } };
    const error = await failure(new WebLlmBackend({ modelList }).load({ placement, host: pinned, onProgress: () => undefined }));
    expect(error.code, error.message).to.equal('model-integrity');
    expect(error.message).to.contain(LIB);
    expect(await (await caches.open('webllm/wasm')).keys()).to.have.length(0);
  });
});

import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { BackendProgress } from '../../src/engine/backends/backend.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import { integrityOf } from '../../src/engine/model-files/integrity.js';
import { ENTRY_HEADER, VERIFIED_CACHE } from '../../src/engine/model-files/verified-marks.js';
import { WEBLLM_SW_MEMORY } from '../../src/engine/workers/webllm-sw-memory.js';
import type { ModelHostConfig } from '../../src/engine/types.js';
import type { SlmError } from '../../src/errors/slm-error.js';
import { failure } from '../support/failure.js';
import { recordFault } from '../support/faults.js';
import { faultModelFile, modelHostRequests, modelHostUrl, resetModelHost } from '../support/model-host.js';
import { fixture, LIB, MODEL_ID, modelList, placement, REPO } from '../support/webllm-fixture.js';

/**
 * The real `webllm.sw.js` with the real WebLLM in it (webllm-worker="service"). WebLLM's
 * `reloadInternal` fetches `mlc-chat-config.json` (cache `webllm/config`) and the model library
 * (`webllm/wasm`) through its Cache-Storage artifact cache (`match`, then `Cache.add`) before it
 * instantiates the library, which this fixture is not; so each load here fails after those two
 * downloads, and what the downloads did is what is checked.
 */
const CACHES = ['webllm/config', 'webllm/wasm', 'webllm/model', VERIFIED_CACHE, WEBLLM_SW_MEMORY];
const DOWNLOAD_CODES = [undefined, 'model-host-unreachable', 'model-file-missing', 'model-integrity'];
const SW_URL = '/src/engine/workers/webllm.sw.js';

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

async function unregisterAll() {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
}

describe('WebLLM’s downloads in its service worker (the real webllm.sw.js and WebLLM)', function () {
  this.timeout(120_000);
  let host: string;
  let config: ModelHostConfig;
  const configUrl = () => `${host}/${REPO}/resolve/main/mlc-chat-config.json`;
  const requestsFor = async (file: string) => (await modelHostRequests()).filter((r) => r.path.endsWith(file));
  const clean = async () => {
    for (const name of CACHES) await caches.delete(name);
  };

  /** A load through WebLlmBackend's service-worker path; it fails once WebLLM has its two files. */
  const load = (hostConfig = config, onProgress: (progress: BackendProgress) => void = () => undefined) =>
    new WebLlmBackend({ worker: 'service', modelList, serviceWorkerUrl: SW_URL }).load({ placement, host: hostConfig, onProgress }).then(
      () => null,
      (e: unknown) => e as SlmError,
    );

  before(async () => {
    host = await modelHostUrl();
  });
  beforeEach(async () => {
    config = { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true, integrityManifest: false, retry: { baseDelayMs: 5, maxDelayMs: 20 } };
    await resetModelHost();
    await clean();
  });
  afterEach(async () => {
    await unregisterAll();
    await resetModelHost();
    await clean();
  });

  it('retries a file the host answers 503 for, and stores it through the engine’s checked cache', async () => {
    await faultModelFile('mlc-chat-config.json', { status: 503, times: 2 });
    const reports: BackendProgress[] = [];
    const error = await load(config, (p) => reports.push(p));
    expect(navigator.serviceWorker.controller?.scriptURL).to.equal(new URL(SW_URL, location.href).href);
    expect(error?.code, 'the fixture library cannot be instantiated').to.not.be.oneOf(DOWNLOAD_CODES);
    expect(await requestsFor('mlc-chat-config.json')).to.have.length(3);
    expect(
      reports.flatMap((p) => (p.type === 'retry' ? [`${p.file} ${p.attempt}/${p.of}`] : [])),
      'each wait told to the page that asked',
    ).to.deep.equal(['mlc-chat-config.json 1/4', 'mlc-chat-config.json 2/4']);
    // Written by the engine's cache (WebLLM's own Cache.add writes no entry value).
    const stored = await (await caches.open('webllm/config')).match(configUrl());
    expect(stored?.headers.get(ENTRY_HEADER)).to.match(/^[0-9a-f]{32}$/);
    await recordFault('WebLLM in its service worker: the host answers 503 twice for a file (retried)', 'recovered', { code: 'recovered', lost: null });
  });

  it('refuses a model library that does not match its pin, and keeps nothing of it', async () => {
    const wrong = await integrityOf(new Uint8Array([1, 2, 3]));
    const error = await load({ ...config, integrity: { 'mlc-ai/binary-mlc-llm-libs': { [LIB]: wrong } } });
    expect(error?.code, error?.message).to.equal('model-integrity');
    expect(error!.message).to.contain(LIB);
    expect(await (await caches.open('webllm/wasm')).keys()).to.have.length(0);
    await recordFault('WebLLM in its service worker: the model library does not match its pin', 'model-integrity', { code: error!.code, lost: null });
  });

  it('deletes a cached file that does not match its pin and fetches it again', async () => {
    const good = await fixture('mlc-chat-config.json');
    const damaged = good.slice();
    damaged[3] ^= 0x20;
    await (await caches.open('webllm/config')).put(configUrl(), new Response(damaged, { headers: { 'content-length': String(damaged.length) } }));
    const error = await load({ ...config, integrity: { [REPO]: { 'mlc-chat-config.json': await integrityOf(good) } } });
    expect(error?.code).to.not.be.oneOf(DOWNLOAD_CODES);
    expect(await requestsFor('mlc-chat-config.json')).to.have.length(1);
    const stored = await (await caches.open('webllm/config')).match(configUrl());
    expect(same(new Uint8Array(await stored!.arrayBuffer()), good)).to.equal(true);
  });

  it('keeps the model host, its pins and retries when the browser restarts the worker before WebLLM loads the model again', async () => {
    // A page loads (the worker is told the host and WebLLM the model records), then the browser stops the idle worker.
    await load();
    expect(await executeServerCommand<number, undefined>('stop-service-workers'), 'service workers stopped').to.be.greaterThan(0);
    await resetModelHost();
    for (const name of ['webllm/config', 'webllm/wasm', VERIFIED_CACHE]) await caches.delete(name);
    await faultModelFile('mlc-chat-config.json', { status: 503, times: 2 });

    // The page's WebLLM client, which loaded the model before the restart, asks for an answer:
    // the fresh worker holds no model, and WebLLM loads it again by itself (reloadIfUnmatched),
    // told nothing by the page this time.
    const webllm = await import('@mlc-ai/web-llm');
    const client = new webllm.ServiceWorkerMLCEngine(undefined, 600_000);
    (client as unknown as { modelId: string[] }).modelId = [MODEL_ID];
    const answered = await client.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], stream: false }).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(answered, 'WebLLM still knows the model record').to.not.match(/ModelNotFound|Cannot find model record/);
    expect(await requestsFor('mlc-chat-config.json'), 'fetched from the model host, retried').to.have.length(3);
    expect((await (await caches.open('webllm/config')).match(configUrl()))?.headers.get(ENTRY_HEADER)).to.match(/^[0-9a-f]{32}$/);
    await recordFault('the browser restarts WebLLM’s service worker between a load and the next request', 'recovered', { code: 'recovered', lost: null });
  });

  it('keeps the page’s message when the browser restarts the worker between it and WebLLM’s load', async () => {
    await load();
    // Nothing kept, nothing in the worker's memory: only the message below can tell it the host.
    await caches.delete(WEBLLM_SW_MEMORY);
    expect(await executeServerCommand<number, undefined>('stop-service-workers'), 'service workers stopped').to.be.greaterThan(0);
    await resetModelHost();
    for (const name of ['webllm/config', 'webllm/wasm', VERIFIED_CACHE]) await caches.delete(name);
    await faultModelFile('mlc-chat-config.json', { status: 503, times: 2 });

    navigator.serviceWorker.controller!.postMessage({ type: 'slm-model-files', host: config });
    // The worker keeps it before it may be stopped (waitUntil); stopped only once it has.
    for (let tries = 0; !(await (await caches.open(WEBLLM_SW_MEMORY)).keys()).length; tries++) {
      expect(tries, 'the message was kept').to.be.lessThan(600);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await executeServerCommand<number, undefined>('stop-service-workers'), 'service workers stopped').to.be.greaterThan(0);

    // WebLLM's own messages (setAppConfig, reload) reach a worker started afresh.
    const webllm = await import('@mlc-ai/web-llm');
    const appConfig = { model_list: modelList.map((record) => ({ ...record, model: `${host}/${REPO}`, model_lib: `${host}/mlc-ai/binary-mlc-llm-libs/resolve/main/${LIB}` })) };
    const loaded = await new webllm.ServiceWorkerMLCEngine({ appConfig }, 600_000).reload(MODEL_ID).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(loaded, 'the fixture library cannot be instantiated').to.not.equal(null);
    expect(await requestsFor('mlc-chat-config.json'), 'retried by the engine’s fetch').to.have.length(3);
  });

  it('says how to serve the worker when it may not control the page', async () => {
    const error = await failure(new WebLlmBackend({ worker: 'service', modelList, serviceWorkerUrl: '/test/fixtures/no-such.sw.js', serviceWorkerScope: '/' }).load({ placement, host: config, onProgress: () => undefined }));
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.match(/could not be registered/);
  });
});

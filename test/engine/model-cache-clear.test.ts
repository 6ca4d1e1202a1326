import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import { integrityOf } from '../../src/engine/model-files/integrity.js';
import { VERIFIED_CACHE, VerifiedMarks } from '../../src/engine/model-files/verified-marks.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { ServiceWorkerMemory, WEBLLM_SW_MEMORY } from '../../src/engine/workers/webllm-sw-memory.js';
import type { ModelHostConfig } from '../../src/engine/types.js';
import { modelHostUrl, resetModelHost, TEST_LLM } from '../support/model-host.js';
import { fixture, modelList, placement, REPO } from '../support/webllm-fixture.js';

/**
 * `engine.cache.clear()` ("forget every model"): every place the library keeps something about
 * models is emptied, and nothing else (the app's own storage, the visits) is touched. Each test
 * file runs in a browser context of its own, so this one may look at every store of its origin.
 */
const RUNTIME_CACHES = ['transformers-cache', 'webllm/model', 'webllm/wasm', 'webllm/config'];
/** WebLLM's stores under its other `cacheBackend`s: IndexedDB databases and tvmjs's OPFS folder. */
const WEBLLM_DATABASES = ['webllm/model', 'webllm/config', 'webllm/wasm'];
const WEBLLM_OPFS_FOLDER = 'tvmjs-opfs-store';
const SW_URL = '/src/engine/workers/webllm.sw.js';

const databaseNames = async () => (await indexedDB.databases()).map((db) => db.name);

function openDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('urls').put('bytes', 'https://models.example.org/a/b/resolve/main/params_shard_0.bin');
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error ?? new Error(`could not open ${name}`));
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function opfsNames(): Promise<string[]> {
  const names: string[] = [];
  // TypeScript's DOM library lacks the directory's async iteration.
  const root = (await navigator.storage.getDirectory()) as unknown as { keys(): AsyncIterable<string> };
  for await (const name of root.keys()) names.push(name);
  return names;
}

async function cleanAll() {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  for (const name of await caches.keys()) await caches.delete(name);
  for (const name of await databaseNames()) if (name) await deleteDatabase(name);
  const root = await navigator.storage.getDirectory();
  for (const name of await opfsNames()) await root.removeEntry(name, { recursive: true });
  localStorage.clear();
}

describe('engine.cache.clear(): every model store, and nothing else', function () {
  this.timeout(120_000);
  let host: string;

  before(async () => {
    host = await modelHostUrl();
  });
  beforeEach(cleanAll);
  afterEach(async () => {
    await cleanAll();
    await resetModelHost();
  });

  it('deletes the runtimes’ files, the verified marks, the service worker’s memory and WebLLM’s other stores', async () => {
    const file = `${host}/${REPO}/resolve/main/mlc-chat-config.json`;
    for (const name of RUNTIME_CACHES) await (await caches.open(name)).put(file, new Response('{}'));
    await new VerifiedMarks(caches).record(file, 'entry', await integrityOf(new Uint8Array([1])));
    await new ServiceWorkerMemory(caches).remember({ files: { type: 'slm-model-files', host: { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true } }, appConfig: { model_list: modelList } });
    for (const name of WEBLLM_DATABASES) await openDatabase(name);
    const root = await navigator.storage.getDirectory();
    const folder = await (await root.getDirectoryHandle(WEBLLM_OPFS_FOLDER, { create: true })).getDirectoryHandle(encodeURIComponent('webllm/model'), { create: true });
    await (await folder.getFileHandle('params_shard_0.bin', { create: true })).createWritable().then(async (w) => (await w.write('bytes'), w.close()));
    // Not the library's models: the app's own cache, a visits database, a preference.
    await (await caches.open('app-shell')).put('/index.html', new Response('<!doctype html>'));
    await openDatabase('slm-visits');
    localStorage.setItem('app-theme', 'dark');
    expect(await caches.keys()).to.include.members([...RUNTIME_CACHES, VERIFIED_CACHE, WEBLLM_SW_MEMORY]);

    await new SlmEngine({ modelHost: host }).cache.clear();

    expect(await caches.keys()).to.deep.equal(['app-shell']);
    expect(await databaseNames()).to.deep.equal(['slm-visits']);
    expect(await opfsNames()).to.deep.equal([]);
    expect(localStorage.getItem('app-theme')).to.equal('dark');
  });

  it('leaves nothing behind of real loads: Transformers.js in its worker, WebLLM in its service worker', async () => {
    const config: ModelHostConfig = { host, wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true, integrityManifest: false, retry: { baseDelayMs: 5, maxDelayMs: 20 } };
    const engine = new SlmEngine({ llm: TEST_LLM, device: 'wasm', modelHost: host });
    try {
      await engine.load(['llm']);
    } finally {
      await engine.dispose();
    }
    // A pinned file is marked verified; the fixture's model library cannot be instantiated, so the load fails after its downloads.
    const pins = { [REPO]: { 'mlc-chat-config.json': await integrityOf(await fixture('mlc-chat-config.json')) } };
    await new WebLlmBackend({ worker: 'service', modelList, serviceWorkerUrl: SW_URL }).load({ placement, host: { ...config, integrity: pins }, onProgress: () => undefined }).catch(() => undefined);
    for (let tries = 0; !(await (await caches.open(WEBLLM_SW_MEMORY)).keys()).length; tries++) {
      expect(tries, 'the worker kept what the page told it').to.be.lessThan(600);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Stopped, so that nothing is written while the stores are cleared.
    await executeServerCommand<number, undefined>('stop-service-workers');
    const stores = await caches.keys();
    expect(stores).to.include.members(['transformers-cache', 'webllm/config', VERIFIED_CACHE, WEBLLM_SW_MEMORY]);
    const before = { databases: await databaseNames(), opfs: await opfsNames(), local: localStorage.length, session: sessionStorage.length };
    expect(before, 'models are kept in Cache Storage only').to.deep.equal({ databases: [], opfs: [], local: 0, session: 0 });

    await new SlmEngine().cache.clear();

    expect(await caches.keys(), `of ${stores.join(', ')}`).to.deep.equal([]);
  });
});

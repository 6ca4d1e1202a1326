// node --test tools/bench/gpu/engine/node-worker.test.mjs
// The shims that let our engine's path run in Node (bench-engine.mjs): a worker thread that looks
// like a module Web Worker to WorkerClient, and the model host it loads from.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { serveModels } from './model-server.mjs';
import { NodeWorker } from './node-worker.mjs';

const dir = mkdtempSync(join(tmpdir(), 'node-worker-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A worker module written as ours are: `self`'s message events in, `self.postMessage` out. */
function workerModule(body) {
  const path = join(dir, `worker-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(path, body);
  return pathToFileURL(path);
}

const nextEvent = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

test('delivers messages posted before the worker module has run, and its answers, in order', async () => {
  const url = workerModule(`
    await new Promise((resolve) => setTimeout(resolve, 50));
    self.addEventListener('message', (event) => self.postMessage({ echo: event.data }));
  `);
  const worker = new NodeWorker(url);
  try {
    const answers = [];
    const done = new Promise((resolve) => worker.addEventListener('message', (event) => answers.push(event.data.echo) === 2 && resolve()));
    worker.postMessage({ n: 1 });
    worker.postMessage({ n: 2 });
    await done;
    assert.deepEqual(answers, [{ n: 1 }, { n: 2 }]);
  } finally {
    worker.terminate();
  }
});

test('renames a load request’s backend where asked, and nothing else', async () => {
  const url = workerModule(`self.addEventListener('message', (event) => self.postMessage(event.data));`);
  const worker = new NodeWorker(url, { backends: { wasm: 'cpu' } });
  try {
    const answers = [];
    const done = new Promise((resolve) => worker.addEventListener('message', (event) => answers.push(event.data) === 2 && resolve()));
    worker.postMessage({ id: 1, type: 'load', placement: { backend: 'wasm', dtype: 'q4' } });
    worker.postMessage({ id: 2, type: 'generate', placement: { backend: 'wasm' } });
    await done;
    assert.deepEqual(answers[0].placement, { backend: 'cpu', dtype: 'q4' });
    assert.deepEqual(answers[1].placement, { backend: 'wasm' });
  } finally {
    worker.terminate();
  }
});

test('reports an uncaught error in the worker as a cancelable error event with its message', async () => {
  const url = workerModule(`self.addEventListener('message', () => { throw new Error('kernel went away'); });`);
  const worker = new NodeWorker(url);
  try {
    const failed = nextEvent(worker, 'error');
    worker.postMessage({});
    const event = await failed;
    assert.match(event.message, /kernel went away/);
    assert.equal(event.cancelable, true);
  } finally {
    worker.terminate();
  }
});

test('serves model files in the hub layout, whole or by range, with virtual files and 404s', async () => {
  mkdirSync(join(dir, 'models', 'tiny', 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'models', 'tiny', 'onnx', 'model.onnx'), '0123456789');
  writeFileSync(join(dir, 'secret'), 'not a model file');
  const host = await serveModels(join(dir, 'models'), { tiny: { 'tokenizer.json': '{"a":1}' } });
  try {
    const base = `${host.url}/owner/tiny/resolve/main`;
    const whole = await fetch(`${base}/onnx/model.onnx`);
    assert.equal(whole.status, 200);
    assert.equal(await whole.text(), '0123456789');
    const probe = await fetch(`${base}/onnx/model.onnx`, { headers: { range: 'bytes=0-0' } });
    assert.equal(probe.status, 206);
    assert.equal(probe.headers.get('content-range'), 'bytes 0-0/10');
    assert.equal(await probe.text(), '0');
    const tail = await fetch(`${base}/onnx/model.onnx`, { headers: { range: 'bytes=7-' } });
    assert.equal(await tail.text(), '789');
    assert.equal(await (await fetch(`${base}/tokenizer.json`)).text(), '{"a":1}');
    assert.equal((await fetch(`${base}/onnx/model.onnx_data`)).status, 404);
    // `%2f` survives URL parsing, so this reaches the server as a path out of the models folder.
    assert.equal((await fetch(`${base}/..%2f..%2fsecret`)).status, 404);
  } finally {
    host.close();
  }
});

// A module Web Worker, as far as `WorkerClient` uses one, over Node's worker_threads: Node has no
// `Worker` global. The thread starts in worker-scope.mjs, which gives the worker module the
// `self` it expects and then imports it.
import { Worker } from 'node:worker_threads';

export class NodeWorker extends EventTarget {
  #thread;
  /** Set once it was ended, or failed: the thread's exit then says nothing more. */
  #ended = false;

  /**
   * @param {URL | string} url the worker module (a bundle: Node cannot run our TypeScript).
   * @param {{ backends?: Record<string, string>, cacheDir?: string }} [options] `backends` renames a
   *   placement's backend in `load` requests (the CPU smoke run: Transformers.js in Node has `cpu`, not
   *   `wasm`); `cacheDir` is where Transformers.js keeps downloaded files (see worker-scope.mjs).
   */
  constructor(url, options = {}) {
    super();
    this.#thread = new Worker(new URL('./worker-scope.mjs', import.meta.url), {
      workerData: { url: String(url), backends: options.backends ?? {}, cacheDir: options.cacheDir ?? null },
    });
    this.#thread.on('message', (data) => this.dispatchEvent(new MessageEvent('message', { data })));
    this.#thread.on('messageerror', () => this.dispatchEvent(new Event('messageerror')));
    // What a browser reports as an ErrorEvent: an uncaught error or rejection in the worker.
    this.#thread.on('error', (error) => this.#fail(String(error?.stack ?? error)));
    this.#thread.on('exit', (code) => {
      if (!this.#ended) this.#fail(`the worker thread exited (code ${code})`);
    });
  }

  postMessage(message, transfer = []) {
    this.#thread.postMessage(message, transfer);
  }

  terminate() {
    this.#ended = true;
    void this.#thread.terminate();
  }

  #fail(message) {
    this.#ended = true;
    const event = new Event('error', { cancelable: true });
    Object.defineProperty(event, 'message', { value: message });
    this.dispatchEvent(event);
  }
}

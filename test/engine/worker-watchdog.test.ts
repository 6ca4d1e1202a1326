import { PACKAGED_ORT_FILES } from '../../src/engine/ort-files.js';
import { expect } from '@open-wc/testing';
import type { ModelRecord } from '@mlc-ai/web-llm';
import { TransformersLlmBackend } from '../../src/engine/backends/transformers-backend.js';
import { WebLlmBackend } from '../../src/engine/backends/webllm-backend.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { WorkerClient } from '../../src/engine/workers/worker-client.js';
import { FakeMLCEngine, fakeEngineFactory } from '../fakes/fake-mlc-engine.js';
import { type ScriptedBehaviour, scriptedWorker } from '../fakes/scripted-worker.js';
import { nextEvent } from '../support/events.js';
import { recordFault } from '../support/faults.js';
import { failure } from '../support/failure.js';

const STALL_MS = 300;
const question = [{ role: 'user' as const, content: 'Hi' }];
const placement = { kind: 'llm', modelId: 'scripted', runtime: 'transformers', backend: 'wasm', dtype: 'q8' } as never;
const host = { host: '/', wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: false } as never;

/** An engine whose language model runs in scripted workers, one behaviour per worker it makes, in order. */
function engineOn(behaviours: ScriptedBehaviour[]) {
  const made: ScriptedBehaviour[] = [];
  const nextWorker = () => {
    const behaviour = behaviours[Math.min(made.length, behaviours.length - 1)];
    made.push(behaviour);
    return scriptedWorker(behaviour);
  };
  const engine = new SlmEngine({
    llm: 'test-llm',
    backendFactory: { llm: () => new TransformersLlmBackend(nextWorker, { stallLimits: { generate: STALL_MS } }) },
  });
  return { engine, made };
}

describe('Model worker watchdog', () => {
  it('rejects a stopped call at once, even when the worker never answers', async () => {
    const client = new WorkerClient(scriptedWorker('stalls-once'), { stallLimits: { generate: 60_000 } });
    await client.call({ type: 'load', placement, host });
    const stop = new AbortController();
    const generation = client.call({ type: 'generate', messages: question, maxTokens: 4, temperature: 0 }, { signal: stop.signal });
    const started = performance.now();
    stop.abort();
    const error = await failure(generation);
    expect(error.code).to.equal('aborted');
    expect(performance.now() - started).to.be.below(50);
    client.terminate();
    await recordFault('Stop while the model worker never answers', 'aborted', { code: error.code, lost: null });
  });

  it('declares a worker that closed itself dead within its limit, ends it and fails every pending call', async () => {
    const client = new WorkerClient(scriptedWorker('closes'), { stallLimits: { generate: STALL_MS } });
    await client.call({ type: 'load', placement, host });
    const started = performance.now();
    const generation = client.call({ type: 'generate', messages: question, maxTokens: 4, temperature: 0 });
    const error = await failure(generation);
    const waited = performance.now() - started;
    expect(error.code).to.equal('worker-crashed');
    expect(error.message).to.equal('The model stopped responding for 0.3 s, so it was restarted; try again.');
    expect(waited).to.be.within(STALL_MS - 20, STALL_MS + 1_000);
    expect(client.failure).to.equal(error);
    expect((await failure(client.call({ type: 'unload' }))).code).to.equal('worker-crashed');
  });

  it('counts every token as a sign of life, so a slow answer is never cut off', async () => {
    const client = new WorkerClient(scriptedWorker('trickles', { tokens: 6, tokenEveryMs: 100 }), { stallLimits: { generate: 250 } });
    await client.call({ type: 'load', placement, host });
    const tokens: string[] = [];
    const result = await client.call({ type: 'generate', messages: question, maxTokens: 8, temperature: 0 }, { onToken: (t) => tokens.push(t) });
    expect(result.text).to.equal('ok 1');
    expect(tokens).to.have.length(6);
    client.terminate();
  });

  it('reports the dead worker as an slm-error, and the next generate runs on a fresh one', async () => {
    const { engine, made } = engineOn(['closes', 'answers']);
    const event = nextEvent<CustomEvent<ErrorDetail>>(engine, 'slm-error');
    const error = await failure(engine.generate(question));
    expect(error.code).to.equal('worker-crashed');
    expect(error.message).to.match(/stopped responding for 0.3 s, so it was restarted; try again/);
    expect((await event).detail).to.include({ code: 'worker-crashed', role: 'llm' });
    expect(engine.state('llm').status).to.equal('idle');

    const answer = await engine.generate(question);
    expect(answer.text).to.equal('ok 1');
    expect(made).to.deep.equal(['closes', 'answers']);
    await recordFault('the model worker dies silently mid-generation (self.close)', 'worker-crashed', { code: error.code, lost: answer.text ? 0 : 1 });
    engine.dispose();
  });

  it('runs the task queued behind one whose worker died', async () => {
    const { engine } = engineOn(['closes', 'answers']);
    const first = engine.generate(question);
    const second = engine.generate(question);
    expect((await failure(first)).code).to.equal('worker-crashed');
    expect((await second).text).to.equal('ok 1');
    // The request queued behind the dead one is answered: no queued work is lost.
    await recordFault('a request is queued behind one whose worker died', 'worker-crashed', { code: 'worker-crashed', lost: 0 });
    engine.dispose();
  });

  it('moves on to the next task as soon as a stalled one is stopped', async () => {
    const { engine } = engineOn(['stalls-once']);
    await engine.load(['llm']);
    const stop = new AbortController();
    const first = engine.generate(question, { signal: stop.signal });
    const second = engine.generate(question);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stoppedAt = performance.now();
    stop.abort();
    expect((await failure(first)).code).to.equal('aborted');
    expect((await second).text).to.equal('ok 2');
    await recordFault('Stop a generation whose worker is wedged, with work queued behind it', 'aborted', { code: 'aborted', lost: 0 });
    expect(performance.now() - stoppedAt).to.be.below(STALL_MS);
    engine.dispose();
  });

  it('ends a WebLLM model that stops sending tokens, and unloads it without waiting for it', async () => {
    const modelId = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
    const modelList = [{ model_id: modelId, model: 'https://huggingface.co/mlc-ai/qwen', model_lib: 'qwen.wasm' } as ModelRecord];
    const fake = new FakeMLCEngine({ tokenDelayMs: 60_000 });
    const backend = new WebLlmBackend({ createEngine: fakeEngineFactory(fake), modelList, stallMs: STALL_MS });
    const webllmPlacement = { ...(placement as object), runtime: 'webllm', modelId } as never;
    await backend.load({ placement: webllmPlacement, host: { host: 'https://huggingface.co', wasmPaths: PACKAGED_ORT_FILES, useBrowserCache: true }, onProgress: () => undefined });
    const started = performance.now();
    const error = await failure(backend.generate(question));
    expect(error.code).to.equal('worker-crashed');
    expect(error.message).to.equal('The model stopped responding for 0.3 s, so it was restarted; try again.');
    expect(performance.now() - started).to.be.below(STALL_MS + 1_000);
    const unloadStarted = performance.now();
    await backend.unload();
    expect(performance.now() - unloadStarted).to.be.below(100);
    await recordFault('a WebLLM model stops sending tokens', 'worker-crashed', { code: error.code, lost: null });
  });
});

import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { CountingBackends } from '../fakes/counting-backends.js';
import { nextEvent } from '../support/events.js';
import { recordFault } from '../support/faults.js';

function engineWith(backends = new CountingBackends()) {
  const engine = new SlmEngine({ llm: 'test-llm', asr: 'test-asr', backendFactory: backends });
  return { engine, backends };
}

describe('SlmEngine lifecycle', () => {
  it('loads each model once however many callers ask at the same time', async () => {
    const { engine, backends } = engineWith();
    await Promise.all([engine.load(), engine.load(), engine.generate([{ role: 'user', content: 'a' }]), engine.transcribe(new Float32Array(160))]);
    expect(backends.loads.sort()).to.deep.equal(['asr:slm-test/whisper-tiny-random', 'llm:slm-test/llama-tiny-random']);
  });

  it('loads everything when load() follows an unload at once', async () => {
    const { engine, backends } = engineWith();
    await engine.load();
    engine.useBackends(backends);
    await engine.load();
    expect(engine.state('llm').status).to.equal('ready');
    expect(engine.state('asr').status).to.equal('ready');
    expect(backends.loads).to.have.length(4);
  });

  it('unloads a model whose configuration changed, and loads the new one on next use', async () => {
    const { engine, backends } = engineWith();
    await engine.load(['llm']);
    engine.configure({ llm: 'slm-test/other-llm' });
    expect(engine.state('llm').status).to.equal('idle');
    await engine.generate([{ role: 'user', content: 'a' }]);
    expect(backends.unloads).to.deep.equal(['llm:slm-test/llama-tiny-random']);
    expect(backends.loads.at(-1)).to.equal('llm:slm-test/other-llm');
  });

  it('keeps a failed load as an error state with an event, and retries on the next use', async () => {
    const { engine, backends } = engineWith();
    backends.failNextLoad = new SlmError('out-of-memory', 'Not enough memory.');
    const event = nextEvent<CustomEvent<ErrorDetail>>(engine, 'slm-error');
    const error = (await engine.load(['llm']).catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('out-of-memory');
    expect((await event).detail.kind).to.equal('llm');
    expect(engine.state('llm').status).to.equal('error');
    await engine.load(['llm']);
    expect(engine.state('llm').status).to.equal('ready');
  });

  it('files the failed load in the fault table', async () => {
    const { engine, backends } = engineWith();
    backends.failNextLoad = new SlmError('out-of-memory', 'Not enough memory.');
    const error = (await engine.load(['llm']).catch((e: unknown) => e)) as SlmError;
    await engine.load(['llm']);
    await recordFault('a model load runs out of memory, then is retried', 'out-of-memory', { code: error.code, lost: engine.state('llm').status === 'ready' ? 0 : 1 });
  });

  it('says clearly when a model is used that was never configured', async () => {
    const engine = new SlmEngine({ backendFactory: new CountingBackends() });
    const error = (await engine.generate([{ role: 'user', content: 'a' }]).catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('not-loaded');
    expect(error.message).to.match(/No language model is configured/);
  });

  it('uses the weight format the configuration insists on', async () => {
    const { engine } = engineWith();
    engine.configure({ asr: 'onnx-community/whisper-base', asrDtype: 'fp16' });
    await engine.load(['asr']);
    expect(engine.state('asr').placement!.dtype).to.equal('fp16');
    engine.configure({ asrDtype: null });
    await engine.load(['asr']);
    expect(engine.state('asr').placement!.dtype).to.equal('q8');
  });

  it('rejects queued work when disposed', async () => {
    const { engine } = engineWith();
    const pending = engine.generate([{ role: 'user', content: 'a' }]);
    const queued = engine.generate([{ role: 'user', content: 'b' }]);
    await engine.dispose();
    const results = await Promise.allSettled([pending, queued]);
    expect(results.map((r) => r.status)).to.include('rejected');
  });
});

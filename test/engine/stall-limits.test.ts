import { expect } from '@open-wc/testing';
import { TransformersLlmBackend } from '../../src/engine/backends/transformers-backend.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { scriptedWorker } from '../fakes/scripted-worker.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';
import { failure } from '../support/failure.js';

const question = [{ role: 'user' as const, content: 'Hi' }];

describe('The engine’s stallLimits option', () => {
  it('hands its limits to the backends it makes, so a silent worker counts as crashed after them', async () => {
    const engine = new SlmEngine({
      llm: 'test-llm',
      stallLimits: { generate: 300 },
      // The worker closes itself on its first generation and never answers.
      backendFactory: { llm: (_placement, { stallLimits }) => new TransformersLlmBackend(() => scriptedWorker('closes'), { stallLimits }) },
    });
    const error = await failure(engine.generate(question));
    expect(error.code).to.equal('worker-crashed');
    expect(error.message).to.equal('The model stopped responding for 0.3 s, so it was restarted; try again.');
    await engine.dispose();
  });

  it('watches the built-in worker with them, and a changed limit takes effect on the next load', async () => {
    // No worker can start, import Transformers.js and report within a millisecond.
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: await modelHostUrl(), useBrowserCache: false, stallLimits: { load: 1 } });
    const error = await failure(engine.load(['llm']));
    expect(error.code).to.equal('worker-crashed');
    expect(engine.state('llm').error?.code).to.equal('worker-crashed');

    engine.configure({ stallLimits: { load: 300_000 } });
    await engine.load(['llm']);
    expect(engine.state('llm').status).to.equal('ready');
    await engine.dispose();
  });

  it('refuses a limit that is not a positive number of milliseconds', () => {
    expect(() => new SlmEngine({ stallLimits: { generate: 0 } })).to.throw(SlmError, /stallLimits.generate must be a positive number/);
    const engine = new SlmEngine();
    expect(() => engine.configure({ stallLimits: { load: Number.NaN } })).to.throw(SlmError, /stallLimits.load/);
  });
});

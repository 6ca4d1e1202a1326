import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { CountingBackends } from '../fakes/counting-backends.js';
import { enginesOfThisTest, releaseEngines } from '../support/isolation.js';

describe('test isolation', () => {
  it('disposes the engines a failed test left working, and leaves those of a passing test alone', async () => {
    const backends = new CountingBackends();
    const engine = new SlmEngine({ llm: 'test-llm', asr: 'test-asr', backendFactory: backends });
    await engine.ensureLoaded('llm');
    expect(enginesOfThisTest()).to.include(engine);

    await releaseEngines({ failed: false });
    expect(backends.unloads).to.deep.equal([]);
    expect(engine.state('llm').status).to.equal('ready');
    expect(enginesOfThisTest()).to.deep.equal([]);

    await engine.generate([{ role: 'user', content: 'hello' }]);
    expect(enginesOfThisTest()).to.include(engine);
    await releaseEngines({ failed: true });
    expect(backends.unloads).to.have.length(1);
    expect(engine.state('llm').status).to.not.equal('ready');
    await engine.dispose();
  });
});

import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

/**
 * Its own file, so its own page: whether WebLLM's script was fetched is read from the page's
 * resource timings, which another test's language model would fill.
 */
describe('placing a speech model', () => {
  it('loads the speech model without fetching WebLLM (6.8 MB of script it does not need)', async () => {
    const engine = new SlmEngine({ asr: TEST_ASR, modelHost: await modelHostUrl() });
    try {
      const placement = await engine.ensureLoaded('asr');
      expect(placement.runtime).to.equal('transformers');
      const scripts = performance.getEntriesByType('resource').map((entry) => entry.name);
      // The page's side of the speech model (its worker's requests are the worker's own).
      expect(scripts.some((url) => url.includes('transformers-backend')), 'the backend module was fetched').to.equal(true);
      expect(scripts.filter((url) => url.includes('@mlc-ai/web-llm'))).to.deep.equal([]);
      // The language model's placement still knows WebLLM's list.
      const registry = await engine.registry();
      expect(registry.presets('llm').length).to.be.greaterThan(0);
    } finally {
      await engine.dispose();
    }
  });
});

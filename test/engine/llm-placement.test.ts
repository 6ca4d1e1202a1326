import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';

/**
 * Its own file, so its own page: whether WebLLM's script was fetched is read from the page's
 * resource timings, which a test that loads a WebLLM model would fill. WebLLM's engine runs in
 * its worker; the page needs only its model list, which ships as a small generated module.
 */
const webLlmScripts = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((url) => url.includes('@mlc-ai/web-llm'));

describe('placing a language model', function () {
  this.timeout(60_000);

  it('plans a WebLLM preset, resolves any WebLLM model id and checks its cache without fetching WebLLM', async () => {
    const engine = new SlmEngine({ llm: 'qwen2.5-0.5b', modelHost: await modelHostUrl() });
    try {
      const plan = await engine.plan();
      // No WebGPU in this group: the preset runs on its Transformers.js stand-in, chosen from the same registry.
      expect(plan.llm?.preset?.id).to.equal('qwen2.5-0.5b');
      const registry = await engine.registry();
      const record = registry.webLlmRecord('Hermes-2-Pro-Mistral-7B-q4f16_1-MLC');
      expect(record?.model).to.equal('https://huggingface.co/mlc-ai/Hermes-2-Pro-Mistral-7B-q4f16_1-MLC');
      expect(registry.resolve('llm', 'Hermes-2-Pro-Mistral-7B-q4f16_1-MLC').memoryBytes).to.equal(Math.round(record!.vram_required_MB! * 1e6));
      expect(() => registry.resolve('llm', 'No-Such-Model-q4f16_1-MLC')).to.throw(SlmError, 'Unknown language model "No-Such-Model-q4f16_1-MLC"');
      const report = await engine.cache.verify('mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
      expect(report.files).to.deep.equal([]);
      expect(webLlmScripts()).to.deep.equal([]);
    } finally {
      await engine.dispose();
    }
  });

  it('loads a Transformers.js language model without fetching WebLLM', async () => {
    const engine = new SlmEngine({ llm: TEST_LLM, device: 'wasm', modelHost: await modelHostUrl() });
    try {
      const placement = await engine.ensureLoaded('llm');
      expect(placement.runtime).to.equal('transformers');
      expect(webLlmScripts()).to.deep.equal([]);
    } finally {
      await engine.dispose();
    }
  });
});

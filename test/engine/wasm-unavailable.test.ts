import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';

describe('SlmEngine when onnxruntime\'s WASM files are missing', () => {
  it('reports wasm-unavailable (not webgpu-unavailable) on device="wasm", and runs once pointed at the packaged files', async () => {
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: await modelHostUrl(), device: 'wasm', wasmPaths: '/no-such-folder/', useBrowserCache: false });
    try {
      const error = await engine.load().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(SlmError);
      const { code, message } = error as SlmError;
      expect(code).to.equal('wasm-unavailable');
      expect(message).to.contain('.wasm');
      expect(message).not.to.contain('device="wasm"');
      expect(engine.state('llm').placement!.backend).to.equal('wasm');

      engine.configure({ wasmPaths: null });
      await engine.load();
      const result = await engine.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 2 });
      expect(result.stats.completionTokens).to.equal(2);
    } finally {
      await engine.dispose();
    }
  });
});

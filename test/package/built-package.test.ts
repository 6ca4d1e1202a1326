import { expect } from '@open-wc/testing';
import { browserRequests, modelHostUrl, TEST_LLM } from '../support/model-host.js';

/**
 * The published files, not the sources: `npm test` builds before it runs the browser tests,
 * so this checks that the rollup output's worker and onnxruntime files are where the code
 * looks for them.
 */
describe('the built package (dist/)', () => {
  it('registers <slm-provider> and runs the fixture LLM through its own worker and WASM files', async () => {
    await browserRequests(true);
    const entry = '/dist/index.js';
    const library = (await import(/* @vite-ignore */ entry)) as typeof import('../../src/index.js');
    expect(customElements.get('slm-provider')).to.equal(library.SlmProvider);
    expect(customElements.get('slm-transcriber')).to.equal(library.SlmTranscriber);
    const worklet = await (await fetch('/dist/audio/capture.worklet.js')).text();
    expect(/^\s*import\s/m.test(worklet), 'the worklet imports nothing').to.equal(false);
    expect(/registerProcessor\(["']slm-capture["']/.test(worklet), 'the worklet registers its processor').to.equal(true);

    const provider = document.createElement('slm-provider');
    Object.assign(provider, { llm: TEST_LLM, modelHost: await modelHostUrl(), hideStatus: true });
    document.body.append(provider);
    const result = await provider.engine.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 3 });
    expect(result.stats.completionTokens).to.equal(3);

    const paths = (await browserRequests()).map((url) => new URL(url).pathname);
    expect(paths).to.include('/dist/engine/workers/transformers.worker.js');
    expect(paths).to.include('/dist/ort/ort-wasm-simd-threaded.asyncify.wasm');
    expect(paths.filter((p) => p.startsWith('/src/'))).to.deep.equal([]);
    await provider.engine.dispose();
    provider.remove();
  });
});

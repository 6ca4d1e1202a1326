import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { nextEvent } from '../support/events.js';
import { failModelFile, modelHostUrl, resetModelHost, TEST_LLM } from '../support/model-host.js';
import { recordFault } from '../support/faults.js';

/** Loads and returns the `slm-error` the provider fired (the load must fail). */
async function failedLoad(provider: SlmProvider): Promise<ErrorDetail> {
  const error = nextEvent<CustomEvent<ErrorDetail>>(provider, 'slm-error');
  const rejected = await provider.load().then(
    () => false,
    () => true,
  );
  expect(rejected, 'load() should reject').to.equal(true);
  return (await error).detail;
}

describe('<slm-provider> with bad input', () => {
  let host: string;
  beforeEach(async () => {
    host = await modelHostUrl();
    await resetModelHost();
    await caches.delete('transformers-cache');
  });

  it('reports an unknown model id with the id in the message, and can load another model', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider llm="no-such-model" model-host=${host}></slm-provider>`);
    const detail = await failedLoad(provider);
    expect(detail.code).to.equal('unknown-model');
    expect(detail.message).to.contain('no-such-model');
    await provider.updateComplete;
    expect(provider.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain('no-such-model');

    provider.llm = TEST_LLM;
    await provider.load();
    expect(provider.engine.state('llm').status).to.equal('ready');
    await provider.engine.dispose();
  });

  it('reports an unreachable model host', async () => {
    // Port 9 (discard) is closed on the loopback interface, so the connection is refused.
    const provider = await fixture<SlmProvider>(html`<slm-provider llm=${TEST_LLM} model-host="http://127.0.0.1:9"></slm-provider>`);
    const detail = await failedLoad(provider);
    expect(detail.code).to.equal('model-host-unreachable');
    await recordFault('the model host cannot be reached', 'model-host-unreachable', { code: detail.code, lost: null });
    expect(detail.message).to.match(/model host/i);
  });

  it('reports a file missing on the model host', async () => {
    await failModelFile('/onnx/model.onnx', 404);
    const provider = await fixture<SlmProvider>(html`<slm-provider llm=${TEST_LLM} model-host=${host}></slm-provider>`);
    const detail = await failedLoad(provider);
    expect(detail.code).to.equal('model-file-missing');
    expect(detail.message).to.contain('onnx/model.onnx');

    await resetModelHost();
    await provider.load();
    expect(provider.engine.state('llm').status).to.equal('ready');
    await recordFault('a model file is missing on the host (404), then comes back', 'model-file-missing', { code: detail.code, lost: null });
    await provider.engine.dispose();
  });

  it('reports WebGPU asked for where there is none, then runs on WASM when told', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider llm=${TEST_LLM} device="webgpu" model-host=${host}></slm-provider>`);
    const detail = await failedLoad(provider);
    expect(detail.code).to.equal('webgpu-unavailable');
    expect(detail.message).to.match(/wasm|auto/);

    provider.device = 'wasm';
    await provider.updateComplete;
    await provider.load();
    expect(provider.engine.state('llm').placement!.backend).to.equal('wasm');
    await provider.engine.dispose();
  });

  it('keeps a load failure on the model row and clears it once a load succeeds', async () => {
    await failModelFile('/config.json', 500);
    const provider = await fixture<SlmProvider>(html`<slm-provider llm=${TEST_LLM} model-host=${host}></slm-provider>`);
    await failedLoad(provider);
    await provider.updateComplete;
    const row = () => provider.shadowRoot!.querySelector('[part~="model"][data-kind="llm"]')!;
    expect(row().getAttribute('data-status')).to.equal('error');
    await resetModelHost();
    await provider.load();
    await provider.updateComplete;
    expect(row().getAttribute('data-status')).to.equal('ready');
    expect(provider.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
    await provider.engine.dispose();
  });
});

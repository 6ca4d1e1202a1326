import { expect, html } from '@open-wc/testing';
import { render } from 'lit';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { LoadProgress, ReadyDetail } from '../../src/engine/types.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { browserRequests, modelHostRequests, modelHostUrl, resetModelHost, TEST_LLM } from '../support/model-host.js';

/**
 * One provider for the whole file, outside open-wc's fixture(): that removes it after the first
 * test, and a provider removed from the page disposes its engine (the model would load again).
 */
async function makeProvider(host: string): Promise<SlmProvider> {
  const container = document.createElement('div');
  render(html`<slm-provider llm=${TEST_LLM} model-host=${host}></slm-provider>`, container);
  document.body.append(container);
  const provider = container.querySelector('slm-provider')!;
  await provider.updateComplete;
  return provider;
}

describe('<slm-provider> loading the fixture LLM on WASM', () => {
  let host: string;
  let provider: SlmProvider;

  before(async () => {
    host = await modelHostUrl();
    await caches.delete('transformers-cache');
    await resetModelHost();
    await browserRequests(true);
    provider = await makeProvider(host);
  });

  after(async () => {
    await provider.engine.dispose();
    provider.parentElement!.remove();
  });

  it('downloads from the model host with progress, then reports where the model runs', async () => {
    const recorder = recordEvents(provider, 'slm-load-progress');
    const ready = nextEvent<CustomEvent<ReadyDetail>>(provider, 'slm-ready');
    await provider.load();
    recorder.stop();
    const { placement } = (await ready).detail;
    expect(placement.backend).to.equal('wasm');
    expect(placement.runtime).to.equal('transformers');
    expect(placement.dtype).to.equal('fp32');

    const progress = recorder.events.map((e) => e.detail as LoadProgress);
    const last = progress.at(-1)!;
    expect(last.phase).to.equal('ready');
    expect(last.fraction).to.equal(1);
    expect(last.files.map((f) => f.file)).to.include('onnx/model.onnx');
    const onnx = last.files.find((f) => f.file === 'onnx/model.onnx')!;
    expect(onnx.totalBytes).to.be.greaterThan(100_000);
    // Fractions never go backwards.
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).to.deep.equal([...fractions].sort((a, b) => a - b));

    const paths = (await modelHostRequests()).map((r) => r.path);
    expect(paths).to.include('/slm-test/llama-tiny-random/resolve/main/onnx/model.onnx');
    expect(paths).to.include('/slm-test/llama-tiny-random/resolve/main/config.json');
  });

  it('shows the model as ready in its status panel', async () => {
    await provider.updateComplete;
    const row = provider.shadowRoot!.querySelector('[part~="model"][data-kind="llm"]')!;
    expect(row.getAttribute('data-status')).to.equal('ready');
    expect(row.textContent).to.contain('WASM');
  });

  it('streams exactly the requested number of tokens, in order', async () => {
    const pieces: string[] = [];
    const result = await provider.engine.generate([{ role: 'user', content: 'Hello' }], { maxTokens: 12, onToken: (t) => pieces.push(t) });
    expect(result.stats.completionTokens).to.equal(12);
    expect(result.finishReason).to.equal('length');
    expect(pieces.length).to.be.greaterThan(1);
    expect(pieces.join('')).to.equal(result.text);
    expect(result.stats.promptTokens).to.be.greaterThan(5);
    expect(result.stats.decodeTokensPerSecond).to.be.greaterThan(0);
  });

  it('stops mid-stream on abort and stays usable', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const outcome = await provider.engine
      .generate([{ role: 'user', content: 'Tell me everything' }], {
        maxTokens: 200,
        signal: controller.signal,
        onToken: (t) => {
          pieces.push(t);
          if (pieces.length === 3) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(outcome).to.be.instanceOf(SlmError);
    expect((outcome as SlmError).code).to.equal('aborted');
    // Each fixture token is one character: far fewer than 200 arrived, so it stopped early.
    expect(pieces.join('').length).to.be.lessThan(150);

    const after = await provider.engine.generate([{ role: 'user', content: 'Again' }], { maxTokens: 4 });
    expect(after.stats.completionTokens).to.equal(4);
  });

  it('loads a second time from Cache Storage without a network request', async () => {
    await provider.engine.unload('llm');
    await resetModelHost();
    await provider.load();
    expect(await modelHostRequests()).to.deep.equal([]);
    expect(provider.engine.state('llm').status).to.equal('ready');
  });

  it('lists the cached model with its size, and deletes it', async () => {
    const cached = await provider.engine.cache.list();
    const entry = cached.find((c) => c.modelId === 'slm-test/llama-tiny-random');
    expect(entry, JSON.stringify(cached)).to.exist;
    expect(entry!.bytes).to.be.greaterThan(100_000);
    expect(await provider.engine.cache.delete('slm-test/llama-tiny-random')).to.equal(entry!.files);
    expect((await provider.engine.cache.list()).some((c) => c.modelId === 'slm-test/llama-tiny-random')).to.equal(false);
  });

  it('asked nothing of any host but the page and the model host', async () => {
    const page = location.origin;
    const hosts = new Set((await browserRequests()).map((url) => new URL(url).origin));
    // The log sees the worker's downloads too, or this test would prove nothing.
    expect([...hosts]).to.include(new URL(host).origin);
    hosts.delete(page);
    hosts.delete(new URL(host).origin);
    expect([...hosts]).to.deep.equal([]);
  });
});

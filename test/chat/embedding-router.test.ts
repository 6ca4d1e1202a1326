import { expect, html } from '@open-wc/testing';
import '../../src/elements/slm-chat/slm-chat.js';
import { EmbeddingIntentClassifier, ROUTE_EXAMPLES } from '../../src/chat/embedding-classifier.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { SlmError } from '../../src/errors/slm-error.js';
import { modelHostRequests, modelHostUrl, resetModelHost } from '../support/model-host.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';

const EMBEDDER = 'slm-test/embedder-tiny-random';

/**
 * The embedding router with a tiny random-weight embedder from the test model host. Its
 * vectors mean nothing, so these tests check the mechanics: the model loads from the host
 * into the engine's `embed` slot, a message is routed to the label of its nearest example,
 * commands stay with the rules, and the rules take over when the model cannot load.
 */
describe('embedding router', () => {
  let host: string;
  before(async () => {
    host = await modelHostUrl();
    await resetModelHost();
  });

  const engineOnHost = () => new SlmEngine({ modelHost: host, useBrowserCache: false });

  it('routes a message to the label of its nearest example, with the model from the model host', async () => {
    const engine = engineOnHost();
    const classifier = new EmbeddingIntentClassifier({ engine, model: EMBEDDER });
    try {
      // An example is its own nearest neighbour (similarity 1), whatever the weights.
      for (const text of ROUTE_EXAMPLES.reasoning.slice(0, 3)) expect(await classifier.classify(text)).to.deep.equal({ kind: 'reasoning' });
      for (const text of ROUTE_EXAMPLES.simple.slice(0, 3)) expect(await classifier.classify(text)).to.deep.equal({ kind: 'simple' });
      expect(classifier.lastSource).to.equal('embedding');
      const other = await classifier.classify('Is the rash itchy at night?');
      expect(['simple', 'reasoning']).to.include(other.kind);
      // Commands never reach the model.
      expect(await classifier.classify('Add to plan: rest')).to.deep.equal({ kind: 'command', command: 'add-to-plan', argument: 'rest' });
      expect(classifier.lastSource).to.equal('fallback');
      const paths = (await modelHostRequests()).map((r) => r.path);
      expect(paths.some((p) => p.endsWith(`${EMBEDDER}/resolve/main/onnx/model.onnx`))).to.equal(true);
      // The engine serves it: its `embed` slot, on WASM.
      expect(engine.options.embed).to.equal(EMBEDDER);
      expect(engine.state('embed').status).to.equal('ready');
      expect(engine.state('embed').placement!.backend).to.equal('wasm');
    } finally {
      classifier.dispose();
      await engine.dispose();
    }
  });

  it('falls back to the rules, and says so once, when the model cannot load', async () => {
    const errors: SlmError[] = [];
    const engine = engineOnHost();
    const classifier = new EmbeddingIntentClassifier({ engine, model: 'slm-test/no-such-embedder', onError: (e) => errors.push(e) });
    try {
      expect(await classifier.classify('Why would lisinopril cause a cough?')).to.deep.equal({ kind: 'reasoning' });
      expect(await classifier.classify('What was her temperature?')).to.deep.equal({ kind: 'simple' });
      expect(classifier.lastSource).to.equal('fallback');
      expect(errors).to.have.length(1);
      expect(errors[0].message).to.match(/routed by rules/);
      expect(engine.state('embed').status).to.equal('error');
    } finally {
      classifier.dispose();
      await engine.dispose();
    }
  });

  it('is what <slm-chat> uses when the provider has a small model to route to', async () => {
    const { provider, engines } = await providerWithFakeWebLlm('qwen2.5-1.5b', {}, html`<slm-chat router-model=${EMBEDDER}></slm-chat>`);
    provider.modelHost = host;
    provider.smallLlm = 'smollm2-360m';
    await provider.updateComplete;
    const chat = provider.querySelector('slm-chat')!;
    await chat.send(ROUTE_EXAMPLES.reasoning[1]);
    await chat.send(ROUTE_EXAMPLES.simple[2]);
    expect(chat.routeCounts).to.deep.equal({ app: 0, small: 1, main: 1 });
    expect(engines.map((e) => e.loadedModel)).to.have.members(['Qwen2.5-1.5B-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC']);
  });
});

import { ContextConsumer } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { engineContext } from '../../src/context.js';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmEngine } from '../../src/engine/slm-engine.js';
import { modelHostRequests, modelHostUrl, resetModelHost, TEST_LLM } from '../support/model-host.js';

/** A consumer written with Lit, as the library's own elements are. */
class LitConsumer extends LitElement {
  readonly consumer = new ContextConsumer(this, { context: engineContext, subscribe: true });
  get engine(): SlmEngine | undefined {
    return this.consumer.value;
  }
}
customElements.define('test-lit-consumer', LitConsumer);

/** A consumer written without Lit, speaking the community context protocol by hand. */
class PlainConsumer extends HTMLElement {
  engine: SlmEngine | undefined;
  connectedCallback() {
    const event = new Event('context-request', { bubbles: true, composed: true }) as Event & {
      context: unknown;
      callback: (value: SlmEngine) => void;
      subscribe: boolean;
    };
    event.context = 'slm-engine';
    event.callback = (engine) => (this.engine = engine);
    event.subscribe = false;
    this.dispatchEvent(event);
  }
}
customElements.define('test-plain-consumer', PlainConsumer);

describe('<slm-provider> sharing one engine', () => {
  it('does not load any library or start a worker until asked', async () => {
    const before = performance.getEntriesByType('resource').map((e) => e.name);
    const provider = await fixture<SlmProvider>(html`<slm-provider llm=${TEST_LLM} hide-status></slm-provider>`);
    await provider.updateComplete;
    const after = performance.getEntriesByType('resource').map((e) => e.name);
    const fresh = after.filter((name) => !before.includes(name));
    expect(fresh.filter((name) => /transformers|web-llm|onnxruntime|\.worker\./.test(name))).to.deep.equal([]);
    expect(provider.engine.state('llm').status).to.equal('idle');
  });

  it('gives every consumer the same engine, and they share one model load', async () => {
    await caches.delete('transformers-cache');
    await resetModelHost();
    const host = await modelHostUrl();
    const provider = await fixture<SlmProvider>(html`
      <slm-provider llm=${TEST_LLM} model-host=${host}>
        <test-lit-consumer></test-lit-consumer>
        <div><test-plain-consumer></test-plain-consumer></div>
      </slm-provider>
    `);
    const lit = provider.querySelector<LitConsumer>('test-lit-consumer')!;
    const plain = provider.querySelector<PlainConsumer>('test-plain-consumer')!;
    expect(lit.engine).to.equal(provider.engine);
    expect(plain.engine).to.equal(provider.engine);

    // Both consumers ask at once; neither knows about the other.
    const [a, b] = await Promise.all([
      lit.engine!.generate([{ role: 'user', content: 'one' }], { maxTokens: 3 }),
      plain.engine!.generate([{ role: 'user', content: 'two' }], { maxTokens: 3 }),
    ]);
    expect(a.stats.completionTokens).to.equal(3);
    expect(b.stats.completionTokens).to.equal(3);

    // Whole-file downloads; Transformers.js also asks for byte 0 of each file to learn its size.
    const gets = (await modelHostRequests()).filter((r) => r.method === 'GET' && !r.range).map((r) => r.path);
    const weights = gets.filter((p) => p.endsWith('/onnx/model.onnx'));
    expect(weights, gets.join('\n')).to.have.length(1);
    expect(new Set(gets).size).to.equal(gets.length);
    await provider.engine.dispose();
  });

});

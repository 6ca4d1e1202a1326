import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { EmbedBackend } from '../../src/engine/backends/backend.js';
import { CountingBackends } from '../fakes/counting-backends.js';

const embedder: EmbedBackend = {
  load: async () => undefined,
  embed: async (texts) => texts.map(() => Float32Array.of(1, 0)),
  unload: async () => undefined,
};

describe('<slm-provider> status panel', () => {
  it('shows a row for every configured model slot, with its state', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider llm="test-llm" small-llm="slm-test/small-llm" asr="test-asr"></slm-provider>`);
    const backends = new CountingBackends();
    provider.engine.useBackends({ llm: backends.llm, asr: backends.asr, embed: () => embedder });
    await provider.engine.generate([{ role: 'user', content: 'a' }], { model: 'small' });
    provider.engine.configure({ embed: 'slm-test/embedder-tiny-random' });
    await provider.engine.embed(['a']);
    await provider.updateComplete;

    const rows = [...provider.shadowRoot!.querySelectorAll('[part~="model"]')];
    expect(rows.map((row) => [row.getAttribute('data-kind'), row.getAttribute('data-status')])).to.deep.equal([
      ['llm', 'idle'],
      ['small', 'ready'],
      ['asr', 'idle'],
      ['embed', 'ready'],
    ]);
    expect(rows[1].textContent).to.match(/Small language model:\s*slm-test\/small-llm\s*Ready on WASM/);
    expect(rows[3].textContent).to.match(/Chat router:\s*slm-test\/embedder-tiny-random\s*Ready on WASM \(fp32\)/);
    await provider.engine.dispose();
  });
});

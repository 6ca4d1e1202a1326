import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-note/slm-note.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';
import { recordEvents } from '../support/events.js';

/**
 * The real path: the note's update runs through the scheduler into the Transformers.js worker
 * with the tiny random-weight Llama. Its words are noise, so this asserts on mechanics: the
 * prompt reaches the model, tokens stream, and noise is refused without touching the draft.
 */
describe('<slm-note> with the fixture LLM on WASM', () => {
  it('runs an update for real, refuses the noise it writes, and keeps the draft', async () => {
    const host = await modelHostUrl();
    const provider = await fixture<SlmProvider>(html`<slm-provider llm=${TEST_LLM} model-host=${host} device="wasm"><slm-note refine="auto" debounce="60000"></slm-note></slm-provider>`);
    const note = provider.querySelector('slm-note')!;
    const errors = recordEvents(note, 'slm-error');
    const tokens: string[] = [];
    const generate = provider.engine.generate.bind(provider.engine);
    provider.engine.generate = (messages, options = {}) => generate(messages, { ...options, maxTokens: 24, onToken: (t) => (tokens.push(t), options.onToken?.(t)) });
    provider.session.transcript.upsert({ id: 'r1', text: 'Cough for two weeks. Start honey.', start: 0, end: 3, final: true });
    const draft = structuredClone(note.note);
    await note.refineNow();
    expect(provider.engine.state('llm').status).to.equal('ready');
    expect(tokens.length).to.be.greaterThan(3);
    const codes = errors.events.map((e) => (e.detail as ErrorDetail).code);
    console.log(`fixture LLM wrote ${tokens.length} tokens; the note answered ${codes.join(', ') || 'with an update'}`);
    // Random weights do not write a JSON object: the update is refused with a typed error…
    expect(codes).to.deep.equal(['note-invalid-output']);
    // …and the draft is exactly what it was.
    expect(note.note).to.deep.equal(draft);
    expect(note.updating).to.equal(false);
    await provider.engine.dispose();
  });
});

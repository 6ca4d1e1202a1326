import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/slm-scribe/slm-scribe.js';
import type { SlmScribe } from '../../src/elements/slm-scribe/slm-scribe.js';
import { modelHostUrl, TEST_ASR, TEST_LLM } from '../support/model-host.js';
import { uniqueDbName } from '../support/visits-page.js';
import { resetStandIn, standInUrl } from '../support/openai-stand-in.js';

const screen = (scribe: SlmScribe) => scribe.shadowRoot!.querySelector<HTMLElement>('[part~="status-chip"]')!.dataset.screen;
const row = (scribe: SlmScribe, role: 'asr' | 'llm') => (scribe.shadowRoot!.querySelector(`[part~="setup"] li[data-role="${role}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<slm-scribe> recommendations follow its properties', () => {
  afterEach(() => fixtureCleanup());

  it('names the models set after the first render in the setup card, and the server once llm-endpoint is set', async () => {
    const host = await modelHostUrl();
    // As the demo page does: the element renders with no models named, then the page sets them.
    const scribe = await fixture<SlmScribe>(html`<slm-scribe model-host=${host} db-name=${uniqueDbName('scribe-recommend')} style="--slm-scribe-height: 900px"></slm-scribe>`);
    await waitUntil(() => screen(scribe) !== 'checking' && row(scribe, 'llm'), 'the device was not checked', { timeout: 60_000 });
    expect(row(scribe, 'llm')).to.include('Qwen2.5');
    expect(row(scribe, 'asr')).to.include('Whisper base');

    // Kept test models would load at once and the card would go (ready): they are taken out first.
    const engine = scribe.provider.engine;
    await Promise.all((await engine.cache.list()).map((m) => engine.cache.delete(m.modelId)));
    scribe.llm = TEST_LLM;
    scribe.asr = TEST_ASR;
    await waitUntil(() => row(scribe, 'llm').includes('Test LLM (random weights)'), `the card still says: ${row(scribe, 'llm')}`, { timeout: 30_000 });
    expect(row(scribe, 'asr')).to.include('Test Whisper (random weights)');
    expect(row(scribe, 'llm')).to.not.include('Qwen2.5');

    await resetStandIn();
    const url = await standInUrl();
    scribe.llm = 'clinic-llm';
    scribe.llmEndpoint = url;
    await waitUntil(() => row(scribe, 'llm').includes(`Runs on the server ${new URL(url).host}`), `the card still says: ${row(scribe, 'llm')}`, { timeout: 30_000 });
    expect(row(scribe, 'llm')).to.include('clinic-llm');
  });
});

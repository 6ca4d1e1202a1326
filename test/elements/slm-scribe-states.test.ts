import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/elements/slm-scribe/slm-scribe.js';
import type { SlmScribe } from '../../src/elements/slm-scribe/slm-scribe.js';
import { modelHostUrl, resetModelHost, TEST_ASR, TEST_LLM } from '../support/model-host.js';
import { uniqueDbName } from '../support/visits-page.js';
import { resetStandIn, standInUrl } from '../support/openai-stand-in.js';

const shadow = (scribe: SlmScribe) => scribe.shadowRoot!;
const screen = (scribe: SlmScribe) => shadow(scribe).querySelector<HTMLElement>('[part~="status-chip"]')!.dataset.screen;
const card = (scribe: SlmScribe) => shadow(scribe).querySelector<HTMLElement>('[part~="setup"]');

describe('<slm-scribe> states', () => {
  let host: string;
  before(async () => {
    host = await modelHostUrl();
    await setViewport({ width: 1440, height: 900 });
  });
  afterEach(async () => {
    fixtureCleanup();
    await resetModelHost();
    // The offline test redefines onLine on the instance; the prototype's getter comes back.
    delete (navigator as { onLine?: boolean }).onLine;
  });

  const mount = async (modelHost = host) => {
    const scribe = await fixture<SlmScribe>(html`<slm-scribe llm=${TEST_LLM} asr=${TEST_ASR} model-host=${modelHost} db-name=${uniqueDbName('scribe-states')} style="--slm-scribe-height: 900px"></slm-scribe>`);
    await scribe.visits.ready;
    await waitUntil(() => screen(scribe) !== 'checking', 'the device was not checked', { timeout: 60_000 });
    return scribe;
  };

  it('offline with no models on the device: says so and what to do', async () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    const scribe = await mount();
    // Models from an earlier test may be in Cache Storage; then the app loads them and is not offline.
    const cached = await scribe.provider.engine.cache.list();
    if (cached.some((m) => m.modelId.includes('random'))) await Promise.all(cached.map((m) => scribe.provider.engine.cache.delete(m.modelId)));
    window.dispatchEvent(new Event('offline'));
    await scribe.updateComplete;
    if (screen(scribe) !== 'offline') return expect.fail(`screen ${screen(scribe)} (cached: ${cached.map((m) => m.modelId)})`);
    expect(card(scribe)!.textContent).to.match(/no network connection/);
    expect(card(scribe)!.querySelector('button')!.textContent).to.equal('Try again');
    await executeServerCommand('save-screenshot', { name: 'scribe/state-offline' });
  });

  it('a model that fails: the chip and the card say so, with what to do', async () => {
    // A model host that refuses connections (a closed local port): the load fails at once, online.
    const scribe = await mount('http://127.0.0.1:9');
    // start() settles with the load: the retries are watched meanwhile.
    const starting = scribe.start(false);
    // Before giving up it tries again, for seconds, and says what it waits for instead of "Downloading".
    const speechRow = () => card(scribe)?.querySelector('li[data-role="asr"] .progress-row')?.textContent ?? '';
    await waitUntil(() => /Waiting for the model host · retry \d of 4/.test(speechRow()) || screen(scribe) === 'failed', 'no sign of the retries', { timeout: 60_000 });
    expect(speechRow()).to.match(/Waiting for the model host · retry \d of 4/);
    await starting;
    await waitUntil(() => screen(scribe) === 'failed', 'the failure was not shown', { timeout: 60_000 });
    expect(shadow(scribe).querySelector('[part~="status-chip"]')!.textContent).to.contain('Model failed');
    // In a clinician's words, the advice once; the library's message (for whoever supports the app) folded away.
    const speech = card(scribe)!.querySelector('li[data-role="asr"]')!;
    const shown = speech.querySelector('.error')!.textContent!;
    expect(shown).to.match(/could not be downloaded: the model host did not answer\. Check the network connection/);
    expect(shown.match(/\bCheck\b/g)).to.have.length(1);
    expect(shown).not.to.match(/model-host URL|Failed to fetch/);
    const technical = speech.querySelector<HTMLDetailsElement>('details.technical')!;
    expect(technical.open).to.equal(false);
    expect(technical.textContent).to.match(/The model host could not be reached while loading .*Check the model-host URL/s);
    expect(card(scribe)!.querySelector<HTMLButtonElement>('button.primary')!.textContent).to.equal('Try again');
    await executeServerCommand('save-screenshot', { name: 'scribe/state-model-failed' });
    // The language model, which starts once the speech model is done, tries the host too, then says so: no row waits forever.
    const language = () => card(scribe)!.querySelector<HTMLElement>('li[data-role="llm"]')!;
    await waitUntil(() => language().dataset.status === 'error', 'the language model never gave up', { timeout: 120_000 });
    expect(language().querySelector('.error')!.textContent).to.match(/could not be downloaded: the model host did not answer\. Check the network connection/);
  });

  it('storage full: an alert with what to do', async () => {
    const scribe = await mount();
    scribe.visits.dispatchEvent(new CustomEvent('slm-error', { detail: { code: 'storage-quota', message: 'The storage quota is exceeded.' }, bubbles: true, composed: true }));
    await scribe.updateComplete;
    const alert = shadow(scribe).querySelector('[part~="alert"]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.match(/Storage is full\..*export and erase old visits/s);
    await executeServerCommand('save-screenshot', { name: 'scribe/state-storage-full' });
  });

  it('follows its keyboard shortcuts: Alt+3 opens the chat tab on a phone, Alt+V the visits, Alt+/ the list', async () => {
    await setViewport({ width: 390, height: 844 });
    try {
      const scribe = await mount();
      await sendKeys({ press: 'Alt+Digit3' });
      await scribe.updateComplete;
      expect(shadow(scribe).querySelector('#tab-chat')!.getAttribute('aria-selected')).to.equal('true');
      expect(shadow(scribe).querySelector('[part~="sidebar"]')!.hasAttribute('hidden')).to.equal(true);
      await sendKeys({ press: 'Alt+KeyV' });
      await scribe.updateComplete;
      expect(shadow(scribe).querySelector('[part~="sidebar"]')!.hasAttribute('hidden')).to.equal(false);
      await sendKeys({ press: 'Alt+Slash' });
      const dialog = shadow(scribe).querySelector<HTMLDialogElement>('#shortcuts')!;
      expect(dialog.open).to.equal(true);
      expect(dialog.textContent).to.contain('Alt+N');
      await executeServerCommand('save-screenshot', { name: 'scribe/phone-shortcuts' });
      dialog.close();
    } finally {
      await setViewport({ width: 1440, height: 900 });
    }
  });

  it('with llm-endpoint: the top bar and the setup card name the server text is sent to; speech stays here', async () => {
    await resetStandIn();
    const url = await standInUrl();
    const remote = new URL(url).host;
    const scribe = await fixture<SlmScribe>(
      html`<slm-scribe llm="clinic-llm" llm-endpoint=${url} asr=${TEST_ASR} model-host=${host} db-name=${uniqueDbName('scribe-remote')} style="--slm-scribe-height: 900px"></slm-scribe>`,
    );
    await scribe.visits.ready;
    await waitUntil(() => screen(scribe) !== 'checking', 'the device was not checked', { timeout: 60_000 });
    expect(shadow(scribe).querySelector('[part~="remote-chip"]')!.textContent).to.include(remote);
    const setup = card(scribe)!;
    if (screen(scribe) === 'setup') {
      expect(setup.textContent).to.include(`runs on the server ${remote}`).and.include('no audio leaves the device');
      expect(setup.textContent).not.to.include('no audio or text leaves the device');
    }
    const llmRow = setup.querySelector('li[data-role="llm"]')!;
    expect(llmRow.textContent).to.include(`Runs on the server ${remote}`);
    expect(llmRow.textContent).to.include('On the server').and.not.match(/to download|On this device/);
    await executeServerCommand('save-screenshot', { name: 'scribe/state-remote-llm' });
    // Without the attribute the chip is gone: nothing leaves the device.
    scribe.llmEndpoint = null;
    await scribe.updateComplete;
    await scribe.provider.updateComplete;
    await scribe.updateComplete;
    expect(shadow(scribe).querySelector('[part~="remote-chip"]')).to.equal(null);
  });
});

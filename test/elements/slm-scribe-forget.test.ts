import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/elements/slm-scribe/slm-scribe.js';
import type { SlmScribe } from '../../src/elements/slm-scribe/slm-scribe.js';
import { MODEL_CACHE_NAMES, MODEL_STATE_CACHE_NAMES } from '../../src/engine/model-cache.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { modelHostRequests, modelHostUrl, resetModelHost, TEST_ASR, TEST_LLM } from '../support/model-host.js';
import { rawVisitRows, settled, uniqueDbName } from '../support/visits-page.js';
import { axeViolations as violations } from '../support/axe.js';

const MODEL_STORES: readonly string[] = [...MODEL_CACHE_NAMES, ...MODEL_STATE_CACHE_NAMES];
const modelStores = async () => (await caches.keys()).filter((name) => MODEL_STORES.includes(name));
const shadow = (scribe: SlmScribe) => scribe.shadowRoot!;
const screen = (scribe: SlmScribe) => shadow(scribe).querySelector<HTMLElement>('[part~="status-chip"]')!.dataset.screen;
const forgetButton = (scribe: SlmScribe) => shadow(scribe).querySelector<HTMLButtonElement>('[part~="forget-models"]');
const ready = (scribe: SlmScribe) => ['asr', 'llm'].every((role) => scribe.provider.engine.state(role as 'asr' | 'llm').status === 'ready');

describe('<slm-scribe> forget downloaded models', function () {
  this.timeout(240_000);
  let host: string;
  let dbName: string;
  const asked: string[] = [];
  const confirm = window.confirm;

  before(async () => {
    host = await modelHostUrl();
    await setViewport({ width: 1440, height: 900 });
  });
  beforeEach(() => {
    dbName = uniqueDbName('scribe-forget');
    // The question is asked in the page, never in a browser dialog.
    window.confirm = (question?: string) => (asked.push(question ?? ''), false);
  });
  afterEach(async () => {
    window.confirm = confirm;
    asked.length = 0;
    const scribe = document.querySelector('slm-scribe');
    await scribe?.provider.engine.dispose();
    fixtureCleanup();
    indexedDB.deleteDatabase(dbName);
    await resetModelHost();
  });

  const mount = async () => {
    const scribe = await fixture<SlmScribe>(html`<slm-scribe llm=${TEST_LLM} asr=${TEST_ASR} model-host=${host} db-name=${dbName} style="--slm-scribe-height: 900px"></slm-scribe>`);
    await scribe.visits.ready;
    await waitUntil(() => screen(scribe) !== 'checking', 'the device was not checked', { timeout: 60_000 });
    return scribe;
  };

  it('asks in place, from the keyboard, then deletes the models and not the visits; the next start downloads them anew', async () => {
    const scribe = await mount();
    await scribe.start(false);
    await waitUntil(() => ready(scribe), 'the models did not load', { timeout: 180_000 });
    scribe.session.transcript.upsert({ id: 's1', text: 'Cough for three days.', start: 0, end: 2, final: true });
    await settled(scribe.visits);
    const visitId = scribe.session.id;
    const stored = await rawVisitRows(dbName, visitId);
    expect(stored).to.contain(visitId);

    await sendKeys({ press: 'Alt+KeyM' });
    const dialog = shadow(scribe).querySelector<HTMLDialogElement>('#details')!;
    expect(dialog.open).to.equal(true);
    await waitUntil(() => /Forget downloaded models \(\d/.test(forgetButton(scribe)?.textContent ?? ''), 'the models’ size was not shown', { timeout: 20_000 });
    forgetButton(scribe)!.focus();
    await sendKeys({ press: 'Enter' });
    await scribe.updateComplete;
    const question = shadow(scribe).querySelector('[part~="forget-confirm"]')!;
    expect(question.textContent).to.match(/Delete the downloaded models \(.+\) from this device\? Stored visits stay/);
    // Nothing is deleted before the answer; the focus is on the question's safe answer.
    expect(await modelStores()).to.include('transformers-cache');
    expect(shadow(scribe).activeElement?.textContent).to.equal('Cancel');
    await executeServerCommand('save-screenshot', { name: 'scribe/forget-confirm' });
    expect(await violations(dialog)).to.deep.equal([]);
    await sendKeys({ press: 'Shift+Tab' });
    expect(shadow(scribe).activeElement?.textContent).to.equal('Forget models');
    await sendKeys({ press: 'Enter' });

    const outcome = () => shadow(scribe).querySelector('.forget [role="status"]')!.textContent!;
    await waitUntil(() => outcome().trim() !== '', 'forgetting did not finish', { timeout: 60_000 });
    expect(outcome()).to.match(/deleted from this device \(.+ freed\)/);
    await executeServerCommand('save-screenshot', { name: 'scribe/forget-done' });
    await waitUntil(() => screen(scribe) === 'setup', `the app did not go back to setup (screen ${screen(scribe)})`, { timeout: 60_000 });
    expect(asked).to.deep.equal([]);
    expect(await modelStores()).to.deep.equal([]);
    expect(scribe.provider.engine.state('asr').status).to.equal('idle');
    expect(await rawVisitRows(dbName, visitId)).to.equal(stored);
    dialog.close();

    await resetModelHost();
    const card = shadow(scribe).querySelector<HTMLElement>('[part~="setup"]')!;
    expect(card.textContent).to.match(/to download/);
    card.querySelector<HTMLInputElement>('input[name="persist"]')!.checked = false;
    card.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => ready(scribe), 'the models did not load again', { timeout: 180_000 });
    const fetched = (await modelHostRequests()).filter((r) => r.method === 'GET').map((r) => r.path);
    expect(fetched.filter((path) => path.endsWith('.onnx')).length, fetched.join('\n')).to.be.at.least(2);
  });

  it('while recording: the control waits, and the provider refuses with recording-in-progress', async () => {
    const scribe = await mount();
    await scribe.start(false);
    await waitUntil(() => scribe.provider.engine.state('asr').status === 'ready', 'the speech model did not load', { timeout: 180_000 });
    // What a transcriber announces when its recording starts (a microphone is not needed for this).
    const recording = (state: string) => scribe.transcriber.dispatchEvent(new CustomEvent('slm-recording-change', { detail: { state }, bubbles: true, composed: true }));
    recording('recording');
    try {
      await sendKeys({ press: 'Alt+KeyM' });
      await scribe.updateComplete;
      expect(forgetButton(scribe)!.disabled).to.equal(true);
      expect(shadow(scribe).querySelector('#forget-note')!.textContent).to.match(/Stop the recording first/);
      const refusal = await scribe.provider.forgetModels().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).to.be.instanceOf(SlmError);
      expect((refusal as SlmError).code).to.equal('recording-in-progress');
      expect(scribe.provider.engine.state('asr').status).to.equal('ready');
      expect(await modelStores()).to.include('transformers-cache');
    } finally {
      recording('idle');
      shadow(scribe).querySelector<HTMLDialogElement>('#details')!.close();
    }
    await scribe.updateComplete;
    expect(forgetButton(scribe)!.disabled).to.equal(false);
  });
});

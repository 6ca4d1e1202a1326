import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../src/elements/slm-scribe/slm-scribe.js';
import type { SlmScribe } from '../../src/elements/slm-scribe/slm-scribe.js';
import { modelHostUrl, TEST_ASR, TEST_LLM } from '../support/model-host.js';
import { uniqueDbName } from '../support/visits-page.js';
import { axeViolations as violations, loadAxe } from '../support/axe.js';

const part = (scribe: SlmScribe, name: string) => scribe.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const box = (element: Element) => element.getBoundingClientRect();
const visible = (element: Element) => box(element).width > 0 && box(element).height > 0;
const recordButton = (scribe: SlmScribe) => scribe.transcriber.shadowRoot!.querySelector<HTMLElement>('[part~="record-button"]')!;

const LAYOUTS = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark', 'high-contrast'] as const;

describe('<slm-scribe> layouts and themes', () => {
  let host: string;
  before(async () => {
    await loadAxe();
    host = await modelHostUrl();
  });
  afterEach(async () => {
    fixtureCleanup();
    await emulateMedia({ colorScheme: 'light' });
  });
  after(() => setViewport({ width: 800, height: 600 }));

  for (const layout of LAYOUTS) {
    it(`arranges the ${layout.name} layout at ${layout.width}×${layout.height}, with no axe violations in any theme`, async () => {
      await setViewport({ width: layout.width, height: layout.height });
      document.body.style.margin = '0';
      const scribe = await fixture<SlmScribe>(
        html`<slm-scribe llm=${TEST_LLM} asr=${TEST_ASR} model-host=${host} db-name=${uniqueDbName('scribe-layout')} style="--slm-scribe-height: ${layout.height}px"
          ><a slot="header-end" href="#settings">Playground</a></slm-scribe
        >`,
      );
      await scribe.visits.ready;
      await waitUntil(() => part(scribe, 'status-chip').dataset.screen !== 'checking', 'the device was not checked', { timeout: 60_000 });
      // A visit in progress: what the clinician would see mid-consultation (no model needed for the draft).
      const { transcript } = scribe.session;
      transcript.upsert({ id: 'a', text: 'Dry cough for two weeks, worse at night.', start: 0, end: 3, final: true });
      transcript.upsert({ id: 'b', text: 'No fever. Blood pressure 128 over 82.', start: 3, end: 6, final: true });
      transcript.upsert({ id: 'c', text: 'Plan: chest x-ray and review in one week.', start: 6, end: 9, final: true });
      const note = scribe.shadowRoot!.querySelector('slm-note')!;
      await waitUntil(() => note.note.sections.some((s) => s.items.length), 'the instant draft did not appear', { timeout: 20_000 });

      const transcriptPanel = part(scribe, 'transcript-panel');
      const notePanel = part(scribe, 'note-panel');
      if (layout.name === 'laptop') {
        expect(visible(part(scribe, 'sidebar')), 'visits sidebar').to.equal(true);
        expect(visible(part(scribe, 'chat-panel')), 'chat panel').to.equal(true);
        expect(box(notePanel).left, 'note beside the transcript').to.be.greaterThan(box(transcriptPanel).right - 1);
        expect(box(part(scribe, 'chat-panel')).left).to.be.greaterThan(box(notePanel).right - 1);
        expect(visible(part(scribe, 'tabs'))).to.equal(false);
      } else if (layout.name === 'tablet') {
        expect(box(notePanel).left, 'note beside the transcript').to.be.greaterThan(box(transcriptPanel).right - 1);
        expect(visible(part(scribe, 'sidebar')), 'the sidebar starts closed').to.equal(false);
        expect(visible(part(scribe, 'tabs'))).to.equal(false);
      } else {
        expect(visible(part(scribe, 'tabs')), 'tabs').to.equal(true);
        expect(visible(notePanel), 'one panel at a time').to.equal(false);
      }
      // The record button is on screen in every layout (and on every tab of the phone).
      const inView = () => box(recordButton(scribe)).bottom <= layout.height && box(recordButton(scribe)).top >= 0 && visible(recordButton(scribe));
      expect(inView(), 'record button in view').to.equal(true);
      // Nothing in the top bar, the app's own slotted controls included, is cut off at the edge.
      const header = part(scribe, 'header');
      const headerItems = [...header.children, ...scribe.querySelectorAll('[slot="header-end"]')].filter(visible);
      for (const item of headerItems) expect(box(item).right, `${item.textContent?.trim()} fits in the top bar`).to.be.at.most(layout.width);

      for (const theme of THEMES) {
        await emulateMedia({ colorScheme: theme === 'dark' ? 'dark' : 'light' });
        scribe.theme = theme === 'high-contrast' ? 'high-contrast' : 'auto';
        await scribe.updateComplete;
        await executeServerCommand('save-screenshot', { name: `scribe/${layout.name}-${theme}` });
        expect(await violations(scribe), `${layout.name}, ${theme}`).to.deep.equal([]);
      }

      if (layout.name === 'phone') {
        for (const tab of ['note', 'chat'] as const) {
          scribe.shadowRoot!.querySelector<HTMLButtonElement>(`#tab-${tab}`)!.click();
          await scribe.updateComplete;
          expect(visible(part(scribe, `${tab}-panel`)), `${tab} tab shows its panel`).to.equal(true);
          expect(inView(), `record button in view on the ${tab} tab`).to.equal(true);
          await executeServerCommand('save-screenshot', { name: `scribe/phone-${tab}-tab` });
          expect(await violations(scribe), `phone, ${tab} tab`).to.deep.equal([]);
        }
      }
    });
  }
});

import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import { nextEvent } from '../support/events.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

// A wait, not a timing check: starting capture takes seconds on a loaded machine.
const until = async (check: () => boolean, ms = 30_000) => {
  const end = performance.now() + ms;
  while (!check() && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
  return check();
};

describe('<slm-transcriber> from the keyboard', () => {
  let provider: SlmProvider;
  let transcriber: SlmTranscriber;
  beforeEach(async () => {
    provider = await fixture<SlmProvider>(html`
      <slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-transcriber vad="energy"></slm-transcriber></slm-provider>
    `);
    transcriber = provider.querySelector('slm-transcriber') as SlmTranscriber;
  });
  afterEach(() => provider.engine.dispose());

  it('starts and stops recording with Alt+R', async () => {
    await sendKeys({ press: 'Alt+KeyR' });
    expect(await until(() => transcriber.state === 'recording')).to.equal(true);
    await sendKeys({ press: 'Alt+KeyR' });
    expect(await until(() => transcriber.state === 'idle')).to.equal(true);
  });

  it('records while Space is held on the talk button, and pauses on release', async () => {
    const talk = transcriber.shadowRoot!.querySelector<HTMLButtonElement>('[part~="talk-button"]')!;
    talk.focus();
    const started = nextEvent(transcriber, 'slm-recording-change');
    await sendKeys({ down: 'Space' });
    await started;
    expect(await until(() => transcriber.state === 'recording')).to.equal(true);
    await sendKeys({ up: 'Space' });
    expect(await until(() => transcriber.state === 'paused')).to.equal(true);
    await transcriber.stop();
  });

  it('says which control records, and reflects it with aria-pressed', async () => {
    const record = transcriber.shadowRoot!.querySelector<HTMLButtonElement>('[part~="record-button"]')!;
    expect(record.getAttribute('aria-pressed')).to.equal('false');
    record.click();
    expect(await until(() => transcriber.state === 'recording')).to.equal(true);
    await transcriber.updateComplete;
    expect(record.getAttribute('aria-pressed')).to.equal('true');
    expect(record.textContent!.trim()).to.equal('Stop');
    await transcriber.stop();
  });
});

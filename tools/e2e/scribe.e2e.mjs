// The clinic app end to end, as a clinician uses it, in headless Chromium with the test models:
// first-run setup, two patients back to back (dictated through the fake microphone, then from a
// file), a correction in each transcript, a note edit, a chat question, export, reload, and
// each patient's visit intact and separate. Screenshots land in test-results/scribe/.
import { startDevServer } from '@web/dev-server';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import config from '../../web-dev-server.config.mjs';

const dictation = new URL('../../test/fixtures/audio/dictation.wav', import.meta.url).pathname;
const jfk = new URL('../../test/fixtures/audio/jfk.wav', import.meta.url).pathname;
mkdirSync('test-results/scribe', { recursive: true });

/** What the app holds for the open visit, read through the scribe's session. */
const openVisit = (page) =>
  page.evaluate(() => {
    const scribe = document.querySelector('slm-scribe');
    const session = scribe.session;
    return {
      id: session.id,
      transcript: session.transcript.segments.filter((s) => s.final).map((s) => s.text),
      note: (session.note?.sections ?? []).flatMap((s) => s.items.filter((i) => !i.deleted).map((i) => i.text)),
      chat: session.chat.map((m) => `${m.role}: ${m.status ?? 'sent'}`),
    };
  });

describe('the clinic app', { timeout: 1_500_000 }, () => {
  let server;
  let browser;
  let origin;
  before(async () => {
    server = await startDevServer({ config: { ...config, port: 0, watch: false, open: false }, readCliArgs: false, readFileConfig: false, logStartMessage: false });
    origin = `http://localhost:${server.server.address().port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${dictation}%noloop`],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('two patients back to back: dictate, correct, edit, ask, export, reload; each visit intact and separate', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    // This machine's load varies a lot; the dev server compiles the sources on first request.
    page.setDefaultTimeout(120_000);
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    // The app runs under the dev server's CSP (tools/dev-server/csp.mjs), as a deployment would.
    const blocked = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const started = Date.now();
    const step = (name) => console.log(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Through the site root, as a user types it: its redirect to /demo/ keeps the query.
    await page.goto(`${origin}/?models=test`);
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/demo/?models=test');

    // First run: the setup card recommends the models and downloads them on request.
    const card = page.locator('slm-scribe [part~="setup"]');
    await card.getByRole('heading', { name: 'Set up dictation on this device' }).waitFor({ timeout: 120_000 });
    // The page names the test models after the element's first render: the card names them, not the defaults.
    await page.waitForFunction(() => document.querySelector('slm-scribe').shadowRoot.querySelector('[part~="setup"] li[data-role="llm"]')?.textContent.includes('Test LLM'), null, { timeout: 60_000 });
    assert.match(await card.locator('li[data-role="asr"]').textContent(), /Test Whisper/);
    await page.screenshot({ path: 'test-results/scribe/e2e-first-run.png' });
    step('setup card shown');
    await card.getByRole('button', { name: 'Download and start' }).click();
    const chip = page.locator('slm-scribe [part~="status-chip"]');
    await page.waitForFunction(() => document.querySelector('slm-scribe').shadowRoot.querySelector('[part~="status-chip"]').textContent.includes('Models ready'), null, { timeout: 300_000 });

    step('models ready');
    // Patient 1: dictated through the (fake) microphone, started and stopped with Alt+R.
    await page.keyboard.press('Alt+r');
    await page.waitForFunction(() => document.querySelector('slm-scribe').session.transcript.segments.filter((s) => s.final).length >= 1, null, { timeout: 300_000 });
    assert.equal(await page.locator('slm-scribe [part~="recording"]').count(), 1, 'the top bar says it is recording');
    await page.keyboard.press('Alt+r');
    await page.waitForFunction(() => document.querySelector('slm-scribe').transcriber.state === 'idle', null, { timeout: 180_000 });

    step('patient one dictated');
    // A correction in the transcript: click the sentence, retype it, leave it.
    const firstSegment = page.locator('slm-transcriber [part~="segment"][data-final="true"]').first();
    await firstSegment.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Patient one has a dry cough.');
    await page.keyboard.press('Tab');
    // An edit in the note: the first statement, retyped.
    await page.waitForFunction(() => document.querySelector('slm-scribe').session.note?.sections.some((s) => s.items.length), null, { timeout: 60_000 });
    await page.locator('slm-note [part~="item-text"]').first().fill('Cough for two weeks (patient one).');
    // A question in the chat, answered by the test model.
    // A short answer: the random test model writes until its limit, and this machine is slow.
    await page.locator('slm-chat').evaluate((chat) => (chat.maxTokens = 24));
    const chatBox = page.locator('slm-chat textarea');
    await chatBox.fill('What was said?');
    await chatBox.press('Enter');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.querySelector('slm-scribe').session.chat.at(-1)?.status), null, { timeout: 240_000 });
    const answer = await page.evaluate(() => document.querySelector('slm-scribe').session.chat.at(-1));
    assert.equal(answer.status, 'done', `the answer: ${JSON.stringify(answer)}`);
    step('chat answered');
    await page.screenshot({ path: 'test-results/scribe/e2e-patient-one.png' });
    const one = await openVisit(page);
    assert.equal(one.transcript[0], 'Patient one has a dry cough.');
    assert.ok(one.note.includes('Cough for two weeks (patient one).'), `note: ${one.note}`);
    assert.deepEqual(one.chat, ['user: sent', 'assistant: done']);

    // New visit (Alt+N): patient 2, from a recording dropped into the transcriber.
    await page.keyboard.press('Alt+n');
    await page.waitForFunction((id) => document.querySelector('slm-scribe').session.id !== id && document.querySelector('slm-scribe').session.isEmpty, one.id);
    await page.locator('slm-transcriber input[type=file]').setInputFiles(jfk);
    await page.waitForFunction(() => document.querySelector('slm-scribe').transcriber.state === 'idle' && document.querySelector('slm-scribe').session.transcript.segments.some((s) => s.final), null, { timeout: 300_000 });
    await page.locator('slm-transcriber [part~="segment"][data-final="true"]').first().click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Patient two asks about the vaccine.');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('slm-scribe').session.note?.sections.some((s) => s.items.length), null, { timeout: 60_000 });
    await page.locator('slm-note [part~="item-text"]').first().fill('Vaccine counselling (patient two).');
    const two = await openVisit(page);
    assert.notEqual(two.id, one.id);
    assert.equal(two.transcript[0], 'Patient two asks about the vaccine.');
    assert.deepEqual(two.chat, []);

    step('patient two transcribed and edited');
    // Export: the visits element's button downloads every visit, each under its own id.
    // Export stores what waits first (the note's edit is otherwise stored after a short debounce).
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('slm-visits [part~="export-button"]').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    // Each visit's corrections and edits are in the export under its own id, and only there.
    const exportedVisit = (id) => JSON.stringify(exported.visits.find((visit) => visit.id === id) ?? null);
    assert.ok(exportedVisit(one.id).includes('Patient one has a dry cough.') && exportedVisit(one.id).includes('Cough for two weeks (patient one).'), 'visit one exported with its edits');
    assert.ok(exportedVisit(two.id).includes('Patient two asks about the vaccine.') && exportedVisit(two.id).includes('Vaccine counselling (patient two).'), 'visit two exported with its edits');
    assert.ok(!exportedVisit(one.id).toLowerCase().includes('patient two') && !exportedVisit(two.id).toLowerCase().includes('patient one'), 'nothing of one patient is filed under the other');
    await page.screenshot({ path: 'test-results/scribe/e2e-patient-two.png' });

    await page.waitForFunction(() => document.querySelector('slm-scribe').visits.unsavedChanges === 0, null, { timeout: 60_000 });
    step('exported');
    // Reload: the last visit comes back; the first is in the list and opens intact.
    await page.reload();
    await page.locator('slm-scribe').evaluate(async (scribe) => {
      await scribe.updateComplete;
      await scribe.visits.ready;
    });
    await page.waitForFunction((id) => document.querySelector('slm-scribe').session.id === id, two.id, { timeout: 20_000 });
    assert.deepEqual(await openVisit(page), two);
    // The other stored visit: the only one whose Open button is enabled.
    const openButtons = page.locator('slm-visits [part~="open-button"]:not([disabled])');
    assert.equal(await openButtons.count(), 1);
    await openButtons.click();
    await page.waitForFunction((id) => document.querySelector('slm-scribe').session.id === id, one.id, { timeout: 20_000 });
    const reopened = await openVisit(page);
    assert.deepEqual(reopened, one);
    assert.ok(!reopened.transcript.some((t) => t.includes('Patient two')) && !two.transcript.some((t) => t.includes('Patient one')), 'nothing of one patient is in the other visit');
    await chip.waitFor();
    step('reloaded, both visits checked');

    const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, [], 'no CSP violations');
    await context.close();
  });
});

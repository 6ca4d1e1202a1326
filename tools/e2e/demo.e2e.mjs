// End to end, in headless Chromium: the demo page with the test models, dictated through the
// fake microphone; then axe on the demo and on every Storybook story. Run by `npm test`
// after the Storybook build. The screenshot lands in test-results/demo.png.
import { AxeBuilder } from '@axe-core/playwright';
import { startDevServer } from '@web/dev-server';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import config from '../../web-dev-server.config.mjs';

const dictation = new URL('../../test/fixtures/audio/dictation.wav', import.meta.url).pathname;
const storybook = new URL('../../storybook-static/', import.meta.url).pathname;
mkdirSync('test-results', { recursive: true });

const launch = (args = []) =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...args],
  });

/** axe's findings, one line each; WCAG 2.1 AA rules and best practices. */
async function violations(page, include) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) builder = builder.include(include);
  const { violations: found } = await builder.analyze();
  return found.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

describe('the demo', { timeout: 300_000 }, () => {
  let server;
  let browser;
  let origin;
  before(async () => {
    server = await startDevServer({ config: { ...config, port: 0, watch: false, open: false }, readCliArgs: false, readFileConfig: false, logStartMessage: false });
    origin = `http://localhost:${server.server.address().port}`;
    browser = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${dictation}%noloop`]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads the test models, dictates, builds a note, answers in the chat, and finds the visit after a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1800 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${origin}/demo/playground.html`);

    await page.getByLabel(/Test models/).check();
    await page.waitForFunction(() => document.querySelector('select[name=llm]').value === 'test-llm');
    // Live partials from the Moonshine fixture, finals from the Whisper one.
    await page.getByLabel('Live partials from').selectOption('test-moonshine');
    await page.getByRole('button', { name: 'Load models' }).click();
    await page.locator('slm-provider').evaluate((provider) => provider.load());

    // Dictate the 16-second recording through the fake microphone.
    await page.locator('slm-transcriber').getByRole('button', { name: 'Record', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('slm-provider').session.transcript.segments.filter((s) => s.final).length >= 3, null, { timeout: 90_000 });
    await page.locator('slm-transcriber').getByRole('button', { name: 'Stop', exact: true }).click();
    const segments = await page.locator('slm-provider').evaluate((p) => p.session.transcript.segments.filter((s) => s.final).length);
    assert.ok(segments >= 3, `three utterances were dictated, ${segments} final segments`);
    const models = await page.locator('slm-provider').evaluate((p) => [p.engine.state('asr').placement?.modelId, p.engine.state('preview').placement?.modelId]);
    assert.deepEqual(models, ['slm-test/whisper-tiny-random', 'slm-test/moonshine-tiny-random']);

    // The note drafts itself from the (random-model) transcript.
    await page.waitForFunction(() => document.querySelector('slm-note').note.sections.some((s) => s.items.length), null, { timeout: 30_000 });

    // The chat: a command the app performs, then a question the fixture model answers.
    const chat = page.locator('slm-chat textarea');
    await chat.fill('Add to plan: chest x-ray');
    await chat.press('Enter');
    await page.waitForFunction(() => document.querySelector('slm-note').note.sections.find((s) => s.id === 'plan').items.some((i) => i.text === 'chest x-ray'));
    await chat.fill('What was said?');
    await chat.press('Enter');
    await page.waitForFunction(() => document.querySelector('slm-chat').messages.at(-1)?.status === 'done' && document.querySelector('slm-chat').messages.length === 4, null, { timeout: 150_000 });

    // Export: the FHIR bundle of the note.
    const fhir = await page.locator('slm-note').evaluate((note) => JSON.parse(note.exportAs('fhir')));
    assert.equal(fhir.resourceType, 'Bundle');
    assert.equal(fhir.entry[0].resource.resourceType, 'Composition');

    await page.screenshot({ path: 'test-results/demo.png', fullPage: true });
    const before = await page.evaluate(() => ({
      transcript: document.querySelector('slm-provider').session.transcript.segments.filter((s) => s.final),
      note: document.querySelector('slm-note').note,
      chat: document.querySelector('slm-chat').messages,
    }));

    // Reload: the visit is listed and comes back.
    await page.waitForTimeout(1200);
    await page.reload();
    await page.locator('slm-visits').evaluate((visits) => visits.ready);
    await page.waitForFunction(() => document.querySelector('slm-provider').session.transcript.segments.length > 0, null, { timeout: 15_000 });
    const after = await page.evaluate(() => ({
      transcript: document.querySelector('slm-provider').session.transcript.segments.filter((s) => s.final),
      note: document.querySelector('slm-note').note,
      chat: document.querySelector('slm-chat').messages,
    }));
    assert.deepEqual(after, before);
    assert.ok((await page.locator('slm-visits').evaluate((v) => v.shadowRoot.querySelectorAll('[part~="visit"]').length)) >= 1);

    // Nothing went anywhere but this origin.
    const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('says beside the model pickers what to do when the hub cannot be reached', async () => {
    const context = await browser.newContext();
    // This machine is offline anyway; the route makes the failure immediate and certain.
    await context.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    await page.goto(`${origin}/demo/playground.html`);
    await page.waitForFunction(() => document.querySelector('select[name=asr]').value === 'whisper-base');
    await page.getByRole('button', { name: 'Load models' }).click();
    await page.locator('slm-provider').evaluate((provider) => provider.load().catch(() => undefined));
    const hint = page.locator('#models-hint');
    await hint.waitFor({ state: 'visible' });
    assert.match(await hint.textContent(), /Offline\? Switch to the test models/);
    await context.close();
  });

  it('has no accessibility violations (axe)', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/demo/playground.html`);
    await page.locator('slm-visits').evaluate((visits) => visits.ready);
    assert.deepEqual(await violations(page), []);
    await page.close();
  });
});

describe('Storybook stories', { timeout: 600_000 }, () => {
  let server;
  let browser;
  before(async () => {
    server = await startDevServer({ config: { rootDir: storybook, port: 0, watch: false, open: false, nodeResolve: false }, readCliArgs: false, readFileConfig: false, logStartMessage: false });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('have no accessibility violations (axe), story by story', async () => {
    const origin = `http://localhost:${server.server.address().port}`;
    const index = JSON.parse(readFileSync(`${storybook}index.json`, 'utf8'));
    const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    assert.ok(stories.length > 10, `${stories.length} stories`);
    const page = await (await browser.newContext()).newPage();
    const found = [];
    for (const story of stories) {
      await page.goto(`${origin}/iframe.html?id=${story.id}&viewMode=story`);
      await page.waitForSelector('#storybook-root > *', { timeout: 15_000 });
      await page.waitForTimeout(300);
      for (const v of await violations(page, '#storybook-root')) found.push(`${story.id}: ${v}`);
    }
    console.log(`axe: ${stories.length} stories checked`);
    assert.deepEqual(found, []);
  });
});

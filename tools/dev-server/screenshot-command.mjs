import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A test-runner command that saves the asking test's page as a PNG under `test-results/`:
 * `executeServerCommand('save-screenshot', { name: 'scribe/laptop' })`. The artefact is for a
 * person to look at; no test compares pixels.
 */
export function screenshotCommand({ dir = 'test-results' } = {}) {
  return {
    name: 'screenshot-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'save-screenshot') return undefined;
      if (!/^[\w/-]+$/.test(payload?.name ?? '')) throw new Error(`bad screenshot name ${payload?.name}`);
      const page = session.browser.getPage(session.id);
      const path = `${dir}/${payload.name}.png`;
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: false });
      return path;
    },
  };
}

/**
 * A test-runner command that stops the asking test's service workers, as the browser does with
 * an idle one: `executeServerCommand('stop-service-workers')`. Through DevTools' `ServiceWorker`
 * domain (its "Stop" button); the next event starts the worker afresh, its script evaluated
 * again and nothing of its memory kept. Resolves to the number of workers, once every one is
 * stopped, or 0 if one still runs after `timeoutMs` (or there is none), so that a test can tell
 * that the next message meets a fresh worker.
 */
export function serviceWorkerCommand({ timeoutMs = 10_000 } = {}) {
  return {
    name: 'service-worker-command',
    async executeCommand({ command, session }) {
      if (command !== 'stop-service-workers') return undefined;
      const page = session.browser.getPage(session.id);
      const cdp = await page.context().newCDPSession(page);
      try {
        /** versionId → its last running status. */
        const status = new Map();
        const allStopped = () => status.size > 0 && [...status.values()].every((s) => s === 'stopped');
        let settle = () => undefined;
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          for (const version of versions) status.set(version.versionId, version.runningStatus);
          if (allStopped()) settle();
        });
        await cdp.send('ServiceWorker.enable');
        const stopped = new Promise((resolve) => {
          settle = resolve;
          setTimeout(resolve, timeoutMs);
        });
        await cdp.send('ServiceWorker.stopAllWorkers');
        if (!allStopped()) await stopped;
        return allStopped() ? status.size : 0;
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    },
  };
}

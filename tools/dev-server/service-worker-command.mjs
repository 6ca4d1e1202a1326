/**
 * A test-runner command that stops the asking test's service workers, as the browser does with
 * an idle one: `executeServerCommand('stop-service-workers')`. Through DevTools' `ServiceWorker`
 * domain (its "Stop" button); the next event starts the worker afresh, its script evaluated
 * again and nothing of its memory kept. Resolves to the number of workers seen stopping, so a
 * test can tell that a restart really happened.
 */
export function serviceWorkerCommand({ timeoutMs = 10_000 } = {}) {
  return {
    name: 'service-worker-command',
    async executeCommand({ command, session }) {
      if (command !== 'stop-service-workers') return undefined;
      const page = session.browser.getPage(session.id);
      const cdp = await page.context().newCDPSession(page);
      try {
        const running = new Set();
        const stopped = new Set();
        let settle = () => undefined;
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          for (const version of versions) {
            if (version.runningStatus === 'running' || version.runningStatus === 'starting') running.add(version.versionId);
            if (version.runningStatus === 'stopped' && running.has(version.versionId)) stopped.add(version.versionId);
          }
          if (running.size > 0 && [...running].every((id) => stopped.has(id))) settle();
        });
        await cdp.send('ServiceWorker.enable');
        const allStopped = new Promise((resolve) => {
          settle = resolve;
          setTimeout(resolve, timeoutMs);
        });
        await cdp.send('ServiceWorker.stopAllWorkers');
        await allStopped;
        return stopped.size;
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    },
  };
}

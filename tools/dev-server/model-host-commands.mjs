/**
 * Test-runner commands that let a browser test read and steer the model host:
 * `executeServerCommand('model-host', { action: 'url' | 'requests' | 'reset' | 'fault' | 'serve', … })`, and
 * `executeServerCommand('browser-requests', { reset?: boolean })`: every URL the asking test's page and its
 * workers requested.
 */
export function modelHostCommands(modelHost, browserRequests = new Map()) {
  return {
    name: 'model-host-commands',
    executeCommand({ command, payload, session }) {
      if (command === 'browser-requests') {
        // The asking test's page is the one whose URL carries its session id.
        const log = [...browserRequests].find(([page]) => page.url().includes(session.id))?.[1];
        if (!log) throw new Error(`no request log for session ${session.id}`);
        const urls = [...log];
        if (payload?.reset) log.length = 0;
        return urls;
      }
      if (command !== 'model-host') return undefined;
      switch (payload?.action) {
        case 'url':
          return modelHost.url;
        case 'requests':
          return modelHost.requests.map((r) => ({ method: r.method, path: r.path, range: r.range }));
        case 'reset':
          modelHost.requests.length = 0;
          modelHost.faults.clear();
          modelHost.served?.clear();
          return true;
        case 'serve':
          // A body for paths ending in `suffix` (a file the fixtures lack), until the next reset; `base64`: bytes.
          modelHost.served.set(payload.suffix, payload.base64 ? Buffer.from(payload.base64, 'base64') : payload.body);
          return true;
        case 'fault':
          // `status` alone, or a `fault` (see HostFault in model-host.mjs).
          modelHost.faults.set(payload.suffix, payload.fault ? { ...payload.fault } : payload.status);
          return true;
        default:
          throw new Error(`unknown model-host action ${payload?.action}`);
      }
    },
  };
}

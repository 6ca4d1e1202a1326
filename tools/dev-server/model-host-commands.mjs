/**
 * Test-runner commands that let a browser test read and steer the model host:
 * `executeServerCommand('model-host', { action: 'url' | 'requests' | 'reset' | 'fault', … })`, and
 * `executeServerCommand('browser-requests', { reset?: boolean })`: every URL the browser asked for.
 */
export function modelHostCommands(modelHost, browserRequests = []) {
  return {
    name: 'model-host-commands',
    executeCommand({ command, payload }) {
      if (command === 'browser-requests') {
        const urls = [...browserRequests];
        if (payload?.reset) browserRequests.length = 0;
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
          return true;
        case 'fault':
          modelHost.faults.set(payload.suffix, payload.status);
          return true;
        default:
          throw new Error(`unknown model-host action ${payload?.action}`);
      }
    },
  };
}

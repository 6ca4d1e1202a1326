import { executeServerCommand } from '@web/test-runner-commands';
import './isolation.js';

/** The test model host: fixtures under the Hugging Face URL layout, on its own origin. */
export const modelHostUrl = () => executeServerCommand<string, { action: 'url' }>('model-host', { action: 'url' });

/** Every request the model host has answered since the last reset. */
export const modelHostRequests = () =>
  executeServerCommand<Array<{ method: string; path: string; range: string | null }>, { action: 'requests' }>('model-host', { action: 'requests' });

export const resetModelHost = () => executeServerCommand('model-host', { action: 'reset' });

/** The model host without faults or served bodies, and these Cache Storage caches deleted: a test's clean start and end. */
export async function resetModelHostAndCaches(...names: string[]): Promise<void> {
  await resetModelHost();
  await Promise.all(names.map((name) => caches.delete(name)));
}

/** Makes the model host answer every path ending in `suffix` with `status`, until the next reset. */
export const failModelFile = (suffix: string, status: number) => executeServerCommand('model-host', { action: 'fault', suffix, status });

/** What the model host can do wrong (see HostFault in tools/dev-server/model-host.mjs). */
export interface HostFault {
  status?: number;
  retryAfter?: number;
  truncateAt?: number;
  corrupt?: boolean;
  ignoreRange?: boolean;
  times?: number;
}

/** Makes the model host misbehave for paths ending in `suffix`, until the next reset. */
export const faultModelFile = (suffix: string, fault: HostFault) => executeServerCommand('model-host', { action: 'fault', suffix, fault });

/** Makes the model host answer paths ending in `suffix` with `body` (JSON), until the next reset. */
export const serveModelFile = (suffix: string, body: string) => executeServerCommand('model-host', { action: 'serve', suffix, body });

/** Makes the model host answer paths ending in `suffix` with these bytes, until the next reset. */
export const serveModelBytes = (suffix: string, bytes: Uint8Array) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return executeServerCommand('model-host', { action: 'serve', suffix, base64: btoa(binary) });
};

/** Every URL the browser (page and workers) requested since the last call with `reset`. */
export const browserRequests = (reset = false) => executeServerCommand<string[], { reset: boolean }>('browser-requests', { reset });

export const TEST_LLM = 'test-llm';
export const TEST_ASR = 'test-asr';
/** The random Moonshine: cost and output length follow the audio's length (no 30 s window). */
export const TEST_MOONSHINE = 'test-moonshine';

import { SlmEngine } from '../../src/engine/slm-engine.js';

/**
 * Keeps one test's failure from breaking the next. A test that times out stops being awaited,
 * but what it started goes on: an engine mid-generation or mid-transcription keeps its worker
 * busy (on two shared cores that made the next tests time out too). Every engine that loads or
 * runs a model during a test is remembered; when the test fails, they are disposed (their workers
 * ended, their queues emptied) before the next test starts. Engines of passing tests are left
 * alone: a file may share one across its tests, and a disposed engine loads again on demand.
 *
 * Imported for its hook by the support modules that load models (`model-host.ts`).
 */
const touched = new Set<SlmEngine>();
/** Every way work reaches a model, and so a worker. */
const entries = ['load', 'ensureLoaded', 'generate', 'transcribe', 'embed'] as const;
const proto = SlmEngine.prototype as unknown as Record<string, ((...args: unknown[]) => unknown) & { isolated?: boolean }>;
if (!proto.load.isolated) {
  for (const name of entries) {
    const original = proto[name];
    proto[name] = Object.assign(
      function (this: SlmEngine, ...args: unknown[]) {
        touched.add(this);
        return original.apply(this, args);
      },
      { isolated: true },
    );
  }

  afterEach(function () {
    return releaseEngines({ failed: this.currentTest?.state === 'failed' });
  });
}

/** Forgets the engines of the test that ended; disposes them if it failed. */
export async function releaseEngines({ failed }: { failed: boolean }): Promise<void> {
  const engines = [...touched];
  touched.clear();
  if (failed) await Promise.allSettled(engines.map((engine) => engine.dispose()));
}

/** Engines that loaded a model since the current test began (for tests of this module). */
export const enginesOfThisTest = (): readonly SlmEngine[] => [...touched];

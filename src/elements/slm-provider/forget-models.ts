import type { SlmEngine } from '../../engine/slm-engine.js';
import { SlmError } from '../../errors/slm-error.js';

/** What `forgetModels()` freed: the detail of `slm-models-forgotten`. */
export interface ModelsForgottenDetail {
  /** The models whose files were deleted (`org/name`, as in their URLs). */
  models: string[];
  /** Bytes of model files deleted, as Cache Storage measured them (0 where none were kept). */
  freedBytes: number;
}

/**
 * Which transcribers inside the provider are recording or reading a file, from their
 * `slm-recording-change` events (bubbling and composed, so one inside a shadow root counts too).
 */
export class RecordingWatch {
  private readonly states = new Map<EventTarget, string>();

  constructor(host: HTMLElement) {
    host.addEventListener('slm-recording-change', (event: Event) => {
      const source = event.composedPath()[0] ?? event.target;
      const { state } = (event as CustomEvent<{ state: string }>).detail;
      if (!source) return;
      if (state === 'idle') this.states.delete(source);
      else this.states.set(source, state);
    });
  }

  /**
   * Whether dictated audio is still on its way into a transcript. A transcriber taken out of the
   * page no longer reaches the provider with its events; the engine's queue covers what it drains.
   */
  get active(): boolean {
    for (const [source, state] of this.states) {
      if (!(source as Node).isConnected) this.states.delete(source);
      else if (state !== 'idle') return true;
    }
    return false;
  }
}

/**
 * Unloads every model and deletes every downloaded file of them (`engine.cache.clear()`).
 * Refused while audio is being transcribed: an unloaded speech model would drop the words
 * still on their way. The visits are in their own database, which this does not open.
 */
export async function forgetModels(engine: SlmEngine, recording: RecordingWatch): Promise<ModelsForgottenDetail> {
  refuseWhileTranscribing(engine, recording);
  const cached = await engine.cache.list().catch(() => []);
  // Checked again after the wait: a recording may have started meanwhile.
  refuseWhileTranscribing(engine, recording);
  // Queued work would load a model again right after it was forgotten (a note's refinement,
  // under the `auto` load policy): it is dropped with the models. Work asked for from here on
  // (a chat message, a load) waits until the files are gone, so nothing downloads into a cache
  // being deleted; then it loads the model afresh.
  await engine.whileModelsHeld(async () => {
    engine.scheduler.clear(new SlmError('aborted', 'The models were forgotten.'));
    await engine.unload();
    await engine.cache.clear();
  });
  return { models: cached.map((m) => m.modelId), freedBytes: cached.reduce((sum, m) => sum + m.bytes, 0) };
}

function refuseWhileTranscribing(engine: SlmEngine, recording: RecordingWatch): void {
  const speech = engine.scheduler.snapshot().asr;
  if (recording.active || speech.running || speech.queued.length) {
    throw new SlmError('recording-in-progress', 'A recording is being transcribed, so the models were not forgotten: stop the recording first (and let a file being read finish), then forget the models. Nothing dictated is lost.');
  }
}

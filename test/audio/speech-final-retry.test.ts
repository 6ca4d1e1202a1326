import { expect } from '@open-wc/testing';
import { SpeechPipeline } from '../../src/audio/speech-pipeline.js';
import { TranscriptStore } from '../../src/audio/transcript-store.js';
import { TransformersAsrBackend } from '../../src/engine/backends/transformers-backend.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { loadAudio } from '../support/audio.js';
import { recordFault } from '../support/faults.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

/**
 * The engine's real model worker, which crashes (ends, with an `error` event, as an uncaught
 * error or an out-of-memory abort in it would) when it is asked for the reading `crashAt` says.
 */
class CrashingWorker extends EventTarget {
  private readonly worker = new Worker(new URL('../../src/engine/workers/transformers.worker.js', import.meta.url), { type: 'module' });

  constructor(private readonly crashAt: () => boolean) {
    super();
    this.worker.addEventListener('message', (event) => this.dispatchEvent(new MessageEvent('message', { data: event.data })));
    this.worker.addEventListener('error', (event) => this.dispatchEvent(new ErrorEvent('error', { message: event.message })));
  }

  postMessage(message: { type: string }, transfer: Transferable[] = []): void {
    if (message.type === 'transcribe' && this.crashAt()) {
      this.worker.terminate();
      setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught RuntimeError: memory access out of bounds' })), 0);
      return;
    }
    this.worker.postMessage(message, transfer);
  }

  terminate(): void {
    this.worker.terminate();
  }
}

describe('a dictation whose speech model worker dies during a final reading (the fixture Whisper on WASM)', function () {
  // Two dictations of 11 s, one with a reload of the model: on a loaded two-core machine that outlasts the usual limit.
  this.timeout(240_000);

  /** jfk.wav through the pipeline (no previews: every reading is an utterance's final); the worker crashes at reading `crashAt`. */
  async function dictate(crashAt: number | null) {
    const host = await modelHostUrl();
    let readings = 0;
    let workers = 0;
    const engine = new SlmEngine({
      asr: TEST_ASR,
      device: 'wasm',
      modelHost: host,
      useBrowserCache: false,
      backendFactory: {
        asr: () =>
          new TransformersAsrBackend(() => {
            workers++;
            return new CrashingWorker(() => ++readings === crashAt) as unknown as Worker;
          }),
      },
    });
    const store = new TranscriptStore();
    const errors: string[] = [];
    const pipeline = new SpeechPipeline(engine, store, { vad: 'energy', segmenter: { partialEveryMs: 1_000_000, earlyFinal: false }, onError: (error) => errors.push(error.code) });
    try {
      await pipeline.start();
      pipeline.pushAudio(await loadAudio('/test/fixtures/audio/jfk.wav'));
      pipeline.pushAudio(new Float32Array(16_000 * 2));
      await pipeline.drain(0, 0);
      await pipeline.finish();
      return { finals: store.segments.filter((s) => s.final).map((s) => s.text), errors, readings, workers };
    } finally {
      pipeline.dispose();
      await engine.dispose();
    }
  }

  it('reads the utterance again on the reloaded model: the transcript is the one a dictation without the crash gives', async () => {
    const reference = await dictate(null);
    expect(reference.finals.length, 'utterances in jfk.wav').to.be.greaterThan(1);
    expect(reference.finals.every((text) => text.length > 0)).to.equal(true);

    const crashed = await dictate(2);
    expect(crashed.errors).to.deep.equal(['worker-crashed']);
    expect(crashed.workers, 'the model loaded again in a fresh worker').to.equal(2);
    expect(crashed.readings, 'one reading more: the one the crash cut short').to.equal(reference.readings + 1);
    expect(crashed.finals).to.deep.equal(reference.finals);
    const lost = reference.finals.filter((text, i) => crashed.finals[i] !== text).length;
    await recordFault('the speech model’s worker dies during a final reading', 'worker-crashed', { code: crashed.errors[0] ?? 'none', lost });
  });
});

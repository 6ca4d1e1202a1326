import { expect } from '@open-wc/testing';
import { SpeechPipeline } from '../../src/audio/speech-pipeline.js';
import { TranscriptStore } from '../../src/audio/transcript-store.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { sleep } from '../support/live.js';


/**
 * The capture's last block travels on its own port, the end of input on the worker's: they can
 * arrive in either order. Silence only, so no speech model is needed.
 */
describe('SpeechPipeline: the end of a recording', () => {
  let engine: SlmEngine;
  let pipeline: SpeechPipeline;
  let port: MessagePort;
  beforeEach(async () => {
    engine = new SlmEngine();
    pipeline = new SpeechPipeline(engine, new TranscriptStore(), { vad: 'energy' });
    await pipeline.start();
    port = pipeline.capturePort();
  });
  afterEach(async () => {
    pipeline.dispose();
    port.close();
    await engine.dispose();
  });

  it('waits for capture audio that arrives after the end was asked for, and counts all of it', async () => {
    port.postMessage({ samples: new Float32Array(16_000) });
    const finished = pipeline.finish(16_000 + 1_234);
    await sleep(300);
    port.postMessage({ samples: new Float32Array(1_234) });
    expect(await finished).to.equal(17_234);
  });

  it('ends anyway, with what came, when promised audio never arrives', async () => {
    port.postMessage({ samples: new Float32Array(16_000) });
    const started = performance.now();
    expect(await pipeline.finish(20_000)).to.equal(16_000);
    // The grace period, not a hang.
    expect(performance.now() - started).to.be.within(1_500, 10_000);
  });
});

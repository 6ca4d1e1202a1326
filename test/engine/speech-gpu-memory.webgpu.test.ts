import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { WorkerMemory } from '../../src/engine/worker-recycling.js';
import { loadAudio } from '../support/audio.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

const MiB = 2 ** 20;

// SwiftShader's WebGPU: the fixture Whisper's decoder returns its cross-attention keys and values
// on the GPU at every step, and Transformers.js drops all but the first step's (its #1739).
describe('the speech worker on WebGPU (SwiftShader) across readings', () => {
  let engine: SlmEngine;
  before(async () => {
    // No recycling: the point is what one worker holds.
    engine = new SlmEngine({ asr: TEST_ASR, modelHost: await modelHostUrl(), device: 'webgpu', recycleLimits: { gpuBufferGrowth: 0, wasmHeapGrowth: 0, readings: 0 } });
  });
  after(() => engine.dispose());

  it('holds as many GPU buffer bytes after 12 readings as after 4', async function () {
    this.timeout(400_000);
    const second = (await loadAudio('/test/fixtures/audio/jfk.wav')).slice(16_000, 32_000);
    const after: Record<number, WorkerMemory> = {};
    const texts = new Set<string>();
    for (let reading = 1; reading <= 12; reading++) {
      texts.add((await engine.transcribe(second.slice())).text);
      await engine.slot('asr').settled();
      after[reading] = engine.slot('asr').workerMemory!.latest!;
    }

    expect(engine.state('asr').placement!.backend).to.equal('webgpu');
    // The same audio each time: the same text, so every reading does the same steps.
    expect(texts.size).to.equal(1);
    expect([...texts][0].length).to.be.greaterThan(0);
    expect(engine.slot('asr').workerMemory!.recycles).to.equal(0);
    // Before the fix: 1.3 MiB (20 buffers) more after every reading, 10 MiB more over these 8.
    expect(after[12].gpuBufferBytes! - after[4].gpuBufferBytes!).to.be.at.most(0.25 * MiB);
    expect(after[12].gpuBuffers! - after[4].gpuBuffers!).to.be.at.most(2);
  });
});

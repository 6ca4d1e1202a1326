import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import type { WorkerRecycledDetail } from '../../src/engine/worker-recycling.js';
import { loadAudio } from '../support/audio.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

// SwiftShader's WebGPU: the same metering and recycling as on a real GPU, with the smallest inputs.
describe('speech worker recycling with the fixture Whisper on WebGPU (SwiftShader)', () => {
  let engine: SlmEngine;
  before(async () => {
    engine = new SlmEngine({ asr: TEST_ASR, modelHost: await modelHostUrl(), device: 'webgpu', recycleLimits: { readings: 1 } });
  });
  after(() => engine.dispose());

  it("counts the worker's live GPU buffers, and a fresh worker writes the same text", async function () {
    // Three loads on SwiftShader (a recycle after each reading), which compiles every shader on the CPU.
    this.timeout(400_000);
    const second = (await loadAudio('/test/fixtures/audio/jfk.wav')).slice(16_000, 32_000);
    const seen: WorkerRecycledDetail[] = [];
    engine.addEventListener('slm-debug', (event) => {
      if (event.detail.kind === 'worker-recycled') seen.push(event.detail);
    });
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) texts.push((await engine.transcribe(second.slice())).text);
    await engine.slot('asr').settled();

    expect(engine.state('asr').placement!.backend).to.equal('webgpu');
    expect(texts[0].length).to.be.greaterThan(0);
    expect(texts).to.deep.equal([texts[0], texts[0]]);
    expect(seen).to.have.length(2);
    // onnxruntime keeps the weights in GPU buffers: the meter sees them, in the old worker and the fresh one.
    expect(seen[0].baseline!.gpuBufferBytes).to.be.greaterThan(0);
    expect(seen[0].memory!.gpuBuffers).to.be.greaterThan(0);
    expect(seen[0].fresh!.gpuBufferBytes).to.be.greaterThan(0);
  });
});

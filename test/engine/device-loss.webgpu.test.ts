import { expect } from '@open-wc/testing';
import { GPU_LOSSES_BEFORE_WASM, SlmEngine } from '../../src/engine/slm-engine.js';
import { recordFault } from '../support/faults.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';

// A real lost device: onnxruntime's own GPUDevice (SwiftShader here) destroyed inside the model
// worker, as a driver reset would, through the engine's fault drill (`slot.loseDevice()`).
const hi = [{ role: 'user' as const, content: 'Hi' }];

describe('a lost GPU device (SwiftShader, destroyed under the fixture LLM)', () => {
  let engine: SlmEngine;
  beforeEach(async () => {
    engine = new SlmEngine({ llm: TEST_LLM, modelHost: await modelHostUrl() });
    // `device="auto"` keeps a software adapter off the GPU; this one is reported as hardware, so
    // the model is placed on WebGPU as on a real GPU, and SwiftShader's device is the one lost.
    const report = await engine.device();
    engine.device = async () => ({ ...report, webgpu: { ...report.webgpu, isFallbackAdapter: false, adapter: { vendor: 'test', architecture: 'test', description: '' } } });
  });
  afterEach(() => engine.dispose());

  it('fails the next call with device-lost, reloads on WebGPU, and after repeated losses runs on WASM', async function () {
    // Three loads of the model on SwiftShader, which compiles every shader on the CPU.
    this.timeout(400_000);
    const t0 = performance.now();
    const step = (what: string) => console.log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await engine.generate(hi, { maxTokens: 2 });
    step('first answer');
    expect(engine.state('llm').placement!.backend).to.equal('webgpu');
    const codes: string[] = [];
    for (let loss = 1; loss <= GPU_LOSSES_BEFORE_WASM; loss++) {
      expect(await engine.slot('llm').loseDevice(), 'the drill reached the runtime device').to.equal(true);
      step(`device lost (${loss})`);
      codes.push(await engine.generate(hi, { maxTokens: 2 }).then(() => 'answered', (e: { code?: string }) => e.code ?? 'threw'));
      step(`call after the loss: ${codes.at(-1)}`);
      expect(engine.slot('llm').gpuLossCount).to.equal(loss);
      // The next call loads the model afresh and is answered.
      const result = await engine.generate(hi, { maxTokens: 2 });
      expect(result.stats.completionTokens).to.equal(2);
      step(`answered again on ${engine.state('llm').placement!.backend}`);
      expect(engine.state('llm').placement!.backend, `after loss ${loss}`).to.equal(loss < GPU_LOSSES_BEFORE_WASM ? 'webgpu' : 'wasm');
    }
    expect(codes).to.deep.equal(Array(GPU_LOSSES_BEFORE_WASM).fill('device-lost'));
    expect(engine.state('llm').placement!.reason).to.match(/GPU lost its device 2 times/);
    await recordFault('GPU device destroyed under the LLM (SwiftShader), twice', 'device-lost', { code: codes[0], lost: null });
  });
});

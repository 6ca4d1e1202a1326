import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { resetProviderDrops, watchProviderDrops, whyNotOnWebGpu } from '../../src/engine/workers/session-placement.js';
import { recordFault } from '../support/faults.js';
import { modelHostUrl, TEST_LLM } from '../support/model-host.js';

// onnxruntime-web's silent move of a session from WebGPU to WASM, reproduced on SwiftShader with
// a forced failure: no real out-of-memory can be provoked here, so the adapter is refused, as a
// browser does when the GPU process is out of memory or restarting. This page has its own
// onnxruntime (each test file runs in a page of its own), which the test leaves poisoned.
type Ort = typeof import('onnxruntime-web');

describe('a session that onnxruntime silently moved off WebGPU (SwiftShader, forced failure)', function () {
  this.timeout(120_000);
  let ort: Ort;
  let model: Uint8Array;
  const gpu = navigator.gpu;
  const requestAdapter = gpu.requestAdapter;
  before(async () => {
    ort = (await import('onnxruntime-web/webgpu')) as unknown as Ort;
    // Served as they are (tools/dev-server/source-urls.mjs), as the engine's workers get them.
    ort.env.wasm.wasmPaths = '/src/ort/';
    ort.env.wasm.numThreads = 1;
    model = new Uint8Array(await (await fetch('/test/fixtures/models/slm-test/embedder-tiny-random/onnx/model.onnx')).arrayBuffer());
  });
  afterEach(() => {
    gpu.requestAdapter = requestAdapter;
  });

  it('leaves a model that onnxruntime keeps on WebGPU where it was placed (the worker’s check after a load)', async function () {
    this.timeout(400_000);
    const engine = new SlmEngine({ llm: TEST_LLM, modelHost: await modelHostUrl() });
    // SwiftShader reported as hardware, so `device="auto"` places the model on WebGPU (as in device-loss.webgpu.test.ts).
    const report = await engine.device();
    engine.device = async () => ({ ...report, webgpu: { ...report.webgpu, isFallbackAdapter: false, adapter: { vendor: 'test', architecture: 'test', description: '' } } });
    try {
      await engine.load(['llm']);
      expect(engine.state('llm').placement!.backend).to.equal('webgpu');
      expect((await engine.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 2 })).stats.completionTokens).to.equal(2);
    } finally {
      await engine.dispose();
    }
  });

  it('is seen: WebGPU dropped from a provider list with only a warning, and refused for the rest of the page', async () => {
    watchProviderDrops();
    resetProviderDrops();
    gpu.requestAdapter = async () => null;
    // What Transformers.js asks for with `device: 'auto'`: WebGPU, else WASM.
    const session = await ort.InferenceSession.create(model, { executionProviders: ['webgpu', 'wasm'] });
    expect(session.inputNames.length, 'the session was made, on WASM').to.be.greaterThan(0);
    const why = await whyNotOnWebGpu(Promise.resolve(null));
    expect(why).to.match(/dropped WebGPU from the session and runs it on WASM/).and.to.contain('Failed to get GPU adapter');
    await session.release();

    // The adapter is back, but onnxruntime remembers the failure: WebGPU alone is refused until the page reloads.
    gpu.requestAdapter = requestAdapter;
    const refused = await ort.InferenceSession.create(model, { executionProviders: ['webgpu'] }).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(refused).to.match(/no available backend found.*\[webgpu\]/);
    await recordFault('onnxruntime silently moves a session from WebGPU to WASM (adapter refused; forced)', 'webgpu-unavailable', {
      code: why ? 'webgpu-unavailable' : 'none',
      lost: null,
    });
  });

  it('says nothing of a session onnxruntime keeps on WebGPU', async () => {
    resetProviderDrops();
    const device = await (await gpu.requestAdapter())!.requestDevice();
    expect(await whyNotOnWebGpu(Promise.resolve(device))).to.equal(null);
    device.destroy();
  });
});

import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { tone } from '../support/audio.js';
import { browserRequests, modelHostUrl, TEST_ASR, TEST_LLM, TEST_MOONSHINE } from '../support/model-host.js';

/** Which of onnxruntime's builds the page fetched since the last reset: the plain one, WebGPU's (asyncify), or both. */
const ortBuildsFetched = async () => {
  const names = (await browserRequests()).map((url) => new URL(url).pathname.split('/').pop()!);
  return [...new Set(names.filter((name) => /^ort-wasm.*\.wasm$/.test(name)))].sort();
};

describe('device="auto" on SwiftShader WebGPU', () => {
  it('places both fixture models on WASM, which is faster than the software adapter, and runs them there', async () => {
    const engine = new SlmEngine({ llm: TEST_LLM, asr: TEST_ASR, modelHost: await modelHostUrl() });
    await browserRequests(true);
    try {
      const plan = await engine.plan();
      expect([plan.llm!.backend, plan.asr!.backend]).to.deep.equal(['wasm', 'wasm']);
      expect(plan.asr!.reason).to.match(/software/);
      expect(plan.warnings.join(' ')).to.not.match(/software adapter/);
      await engine.transcribe(tone(1));
      expect(engine.state('asr').placement!.backend).to.equal('wasm');
      // On WASM, onnxruntime's plain build: WebGPU's (asyncify) runs the same CPU kernels 2–3× slower.
      expect(await ortBuildsFetched()).to.deep.equal(['ort-wasm-simd-threaded.wasm']);
    } finally {
      await engine.dispose();
    }
  });
});

// SwiftShader runs these models about ten times slower than WASM: smallest inputs only.
describe('the engine on SwiftShader WebGPU (device="webgpu")', () => {
  let engine: SlmEngine;
  before(async () => {
    engine = new SlmEngine({ llm: TEST_LLM, asr: TEST_ASR, modelHost: await modelHostUrl(), device: 'webgpu' });
  });
  after(() => engine.dispose());

  it('places both fixture models on WebGPU, warning that the adapter is software', async () => {
    const plan = await engine.plan();
    expect(plan.llm!.backend).to.equal('webgpu');
    expect(plan.asr!.backend).to.equal('webgpu');
    expect(plan.warnings.join(' ')).to.match(/software|SwiftShader/i);
  });

  it('streams the fixture LLM on WebGPU and aborts mid-stream', async () => {
    await browserRequests(true);
    const result = await engine.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 4 });
    expect(engine.state('llm').placement!.backend).to.equal('webgpu');
    // WebGPU needs onnxruntime's asyncify build.
    expect(await ortBuildsFetched()).to.deep.equal(['ort-wasm-simd-threaded.asyncify.wasm']);
    expect(result.stats.completionTokens).to.equal(4);

    const controller = new AbortController();
    let streamed = '';
    const aborted = await engine
      .generate([{ role: 'user', content: 'Go on' }], {
        maxTokens: 64,
        signal: controller.signal,
        onToken: (text) => {
          streamed += text;
          if (streamed.length >= 2) controller.abort();
        },
      })
      .catch((e: { code?: string }) => e.code);
    expect(aborted).to.equal('aborted');
    // One character per fixture token: it stopped long before 64.
    expect(streamed.length).to.be.lessThan(48);
  });

  it('transcribes one second of audio with the fixture Whisper on WebGPU', async () => {
    const result = await engine.transcribe(tone(1));
    expect(engine.state('asr').placement!.backend).to.equal('webgpu');
    expect(result.durationSeconds).to.equal(1);
    expect(result.text.length).to.be.greaterThan(0);
  });
});

describe('Moonshine on SwiftShader WebGPU', () => {
  it('transcribes a second of audio as it does on WASM', async () => {
    const modelHost = await modelHostUrl();
    const gpu = new SlmEngine({ asr: TEST_MOONSHINE, modelHost, device: 'webgpu' });
    const cpu = new SlmEngine({ asr: TEST_MOONSHINE, modelHost, device: 'wasm' });
    try {
      const onGpu = await gpu.transcribe(tone(1));
      const onCpu = await cpu.transcribe(tone(1));
      expect(gpu.state('asr').placement!.backend).to.equal('webgpu');
      expect(cpu.state('asr').placement!.backend).to.equal('wasm');
      expect(onGpu.text.length).to.be.greaterThan(0);
      expect(onGpu.text).to.equal(onCpu.text);
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });
});

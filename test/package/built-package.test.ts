import { expect } from '@open-wc/testing';
import { browserRequests, modelHostUrl, TEST_ASR, TEST_LLM } from '../support/model-host.js';

/**
 * The published files, not the sources: `npm test` builds before it runs the browser tests,
 * so this checks that the rollup output's worker and onnxruntime files are where the code
 * looks for them.
 */
describe('the built package (dist/)', () => {
  it('registers <slm-provider> and runs the fixture LLM through its own worker and WASM files', async () => {
    await browserRequests(true);
    const entry = '/dist/index.js';
    const library = (await import(/* @vite-ignore */ entry)) as typeof import('../../src/index.js');
    expect(customElements.get('slm-provider')).to.equal(library.SlmProvider);
    expect(customElements.get('slm-transcriber')).to.equal(library.SlmTranscriber);
    const worklet = await (await fetch('/dist/audio/capture.worklet.js')).text();
    expect(/^\s*import\s/m.test(worklet), 'the worklet imports nothing').to.equal(false);
    expect(/registerProcessor\(["']slm-capture["']/.test(worklet), 'the worklet registers its processor').to.equal(true);

    const provider = document.createElement('slm-provider');
    Object.assign(provider, { llm: TEST_LLM, modelHost: await modelHostUrl(), hideStatus: true });
    document.body.append(provider);
    const result = await provider.engine.generate([{ role: 'user', content: 'Hi' }], { maxTokens: 3 });
    expect(result.stats.completionTokens).to.equal(3);

    const paths = (await browserRequests()).map((url) => new URL(url).pathname);
    expect(paths).to.include('/dist/engine/workers/transformers.worker.js');
    // On WASM, onnxruntime's plain build, as emitted into dist/ort/; WebGPU's asyncify build is not fetched.
    expect(provider.engine.state('llm').placement?.backend).to.equal('wasm');
    expect(paths).to.include('/dist/ort/ort-wasm-simd-threaded.wasm');
    expect(paths.filter((p) => p.includes('asyncify'))).to.deep.equal([]);
    expect(paths.filter((p) => p.startsWith('/src/'))).to.deep.equal([]);
    await provider.engine.dispose();
    provider.remove();
  });

  it('transcribes a file with its own speech worker, Silero model and plain WASM build, asking no other host', async () => {
    const entry = '/dist/index.js';
    type Library = typeof import('../../src/index.js');
    await import(/* @vite-ignore */ entry);
    await browserRequests(true);
    const provider = document.createElement('slm-provider') as InstanceType<Library['SlmProvider']>;
    const modelHost = await modelHostUrl();
    Object.assign(provider, { asr: TEST_ASR, modelHost, hideStatus: true });
    const transcriber = document.createElement('slm-transcriber') as InstanceType<Library['SlmTranscriber']>;
    provider.append(transcriber);
    document.body.append(provider);
    const errors: string[] = [];
    transcriber.addEventListener('slm-error', (event) => errors.push(event.detail.code));
    const wav = await (await fetch('/test/fixtures/audio/jfk.wav')).blob();
    await transcriber.transcribeFile(new File([wav], 'jfk.wav', { type: 'audio/wav' }));
    // Without its model or WASM file, Silero would fall back to loudness and say so.
    expect(errors).to.deep.equal([]);
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals.length).to.be.at.least(1);
    expect(finals.at(-1)!.end).to.be.greaterThan(10);

    const requests = await browserRequests();
    const paths = requests.map((url) => new URL(url).pathname);
    expect(paths).to.include('/dist/audio/workers/speech-stream.worker.js');
    expect(paths).to.include('/dist/vad/silero_vad_v5.onnx');
    expect(paths).to.include('/dist/ort/ort-wasm-simd-threaded.wasm');
    expect(paths.filter((p) => p.startsWith('/src/'))).to.deep.equal([]);
    const origins = new Set(requests.filter((url) => !url.startsWith('blob:') && !url.startsWith('data:')).map((url) => new URL(url).origin));
    expect([...origins].sort()).to.deep.equal([location.origin, new URL(modelHost).origin].sort());
    await provider.engine.dispose();
    provider.remove();
  });
});

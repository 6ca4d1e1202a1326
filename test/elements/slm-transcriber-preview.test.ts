import { expect } from '@open-wc/testing';
import type { EngineTranscribeOptions, SlmEngine } from '../../src/engine/slm-engine.js';
import { loadAudio } from '../support/audio.js';
import { TEST_ASR, TEST_MOONSHINE } from '../support/model-host.js';
import { useTranscriber } from '../support/transcriber.js';
import { streamLive } from '../support/live.js';


/**
 * Which model read each window: the preview model's calls, and the main model's by priority; and
 * the main model's streamed text (a final reading of an utterance no preview had shown yet).
 */
function recordCalls(engine: SlmEngine) {
  const calls = { preview: 0, mainPartials: 0, mainFinals: 0, streamed: 0 };
  const main = engine.transcribe.bind(engine);
  engine.transcribe = (audio: Float32Array, options: EngineTranscribeOptions = {}) => {
    if (options.model === 'preview' && engine.has('preview')) calls.preview++;
    else if (options.priority === 'background') calls.mainPartials++;
    else calls.mainFinals++;
    const { onText } = options;
    return main(audio, onText ? { ...options, onText: (text) => (calls.streamed++, onText(text)) } : options);
  };
  return { calls, restore: () => Reflect.deleteProperty(engine, 'transcribe') };
}

/** JFK's 11 s through the live path, every sample counted at the end. */
async function dictate(engine: SlmEngine, jfk: Float32Array) {
  const { received, ...result } = await streamLive(engine, jfk, `preview-${Date.now()}`);
  expect(received, 'every sample reached the segmenter').to.equal(jfk.length);
  return result;
}

describe('<slm-provider asr-preview>: a fast model for partials, the main one for finals', () => {
  let jfk: Float32Array;
  before(async () => {
    jfk = await loadAudio('/test/fixtures/audio/jfk.wav');
  });
  const mounted = useTranscriber(TEST_ASR, (provider) => (provider.asrPreview = TEST_MOONSHINE));

  it('reads every partial with the preview model and every final with the main one', async () => {
    const { provider } = mounted;
    expect(provider.engine.options.asrPreview).to.equal(TEST_MOONSHINE);
    await provider.load();
    const { calls, restore } = recordCalls(provider.engine);
    const { changes, errors, finals } = await dictate(provider.engine, jfk).finally(restore);

    expect(errors.map((e) => e.message)).to.deep.equal([]);
    expect(finals.length).to.be.at.least(1);
    expect(finals.at(-1)!.end).to.be.greaterThan(10.2);
    const partials = changes.filter((s) => !s.final);
    expect(partials.length).to.be.at.least(finals.length);
    // Every partial is a preview, or the main model's final reading streamed where no preview showed yet.
    expect(calls.preview + calls.streamed).to.be.at.least(partials.length);
    expect(calls.preview).to.be.greaterThan(calls.streamed);
    expect(calls.mainPartials).to.equal(0);
    // Each final is read by the main model, once or more: a final's early reading, started a
    // quarter second into a pause, is read again when the speaker goes on before the pause ends it.
    expect(calls.mainFinals).to.be.at.least(finals.length);
    expect(provider.engine.state('preview').placement!.modelId).to.equal('slm-test/moonshine-tiny-random');
    expect(provider.engine.state('asr').placement!.modelId).to.equal('slm-test/whisper-tiny-random');
    // The status panel shows both speech models.
    await provider.updateComplete;
    const row = provider.shadowRoot!.querySelector('[part~="model"][data-kind="preview"]')!;
    expect(row.getAttribute('data-status')).to.equal('ready');
    expect(row.textContent).to.match(/Live partials:\s*test-moonshine\s*Ready on WASM/);
  });

  it('lets the main model write the partials when the preview model cannot load, saying so once', async () => {
    const { provider } = mounted;
    provider.asrPreview = 'slm-test/no-such-model';
    await provider.updateComplete;
    const { calls, restore } = recordCalls(provider.engine);
    const { changes, errors, finals } = await dictate(provider.engine, jfk).finally(restore);
    await provider.updateComplete;
    const status = provider.shadowRoot!.querySelector('[part~="model"][data-kind="preview"]')!.getAttribute('data-status');
    provider.asrPreview = TEST_MOONSHINE;

    expect(errors).to.have.length(1);
    expect(errors[0].message).to.contain('preview speech model failed');
    expect(status, 'the status panel shows the preview model failed').to.equal('error');
    expect(finals.at(-1)!.end).to.be.greaterThan(10.2);
    expect(changes.filter((s) => !s.final).length).to.be.at.least(1);
    expect(calls.mainPartials).to.be.at.least(1);
  });
});

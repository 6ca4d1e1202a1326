import { expect } from '@open-wc/testing';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { loadAudio } from '../support/audio.js';
import { modelHostUrl, TEST_ASR } from '../support/model-host.js';

describe('engine.transcribe with the fixture Whisper on WASM', () => {
  let engine: SlmEngine;
  before(async () => {
    engine = new SlmEngine({ asr: TEST_ASR, modelHost: await modelHostUrl() });
  });
  after(() => engine.dispose());

  it('loads on first use and transcribes 11 s of real speech in one shot', async () => {
    const audio = await loadAudio('/test/fixtures/audio/jfk.wav');
    const result = await engine.transcribe(audio);
    expect(engine.state('asr').placement!.backend).to.equal('wasm');
    expect(result.durationSeconds).to.be.closeTo(11, 0.1);
    // Random weights: the words are meaningless, but there are some.
    expect(result.text.length).to.be.greaterThan(0);
    expect(result.elapsedMs).to.be.greaterThan(0);
  });

  it('runs the audio through the model: different audio, different output', async () => {
    const audio = await loadAudio('/test/fixtures/audio/jfk.wav');
    const first = await engine.transcribe(audio.subarray(0, 16_000 * 2));
    const again = await engine.transcribe(audio.subarray(0, 16_000 * 2));
    const other = await engine.transcribe(audio.subarray(16_000 * 5, 16_000 * 7));
    expect(again.text).to.equal(first.text);
    expect(other.text).to.not.equal(first.text);
  });

  it('streams the reading as it is decoded: the whole text so far each time, ending in the result', async () => {
    const audio = await loadAudio('/test/fixtures/audio/jfk.wav');
    const soFar: string[] = [];
    const result = await engine.transcribe(audio, { onText: (text) => soFar.push(text) });
    expect(soFar.length).to.be.greaterThan(0);
    expect(soFar.every((text) => text.length > 0)).to.equal(true);
    expect(soFar.at(-1)).to.equal(result.text);
    // Without a listener nothing is streamed, and the reading is the same.
    expect((await engine.transcribe(audio)).text).to.equal(result.text);
  });

  it('leaves the caller’s samples intact', async () => {
    const audio = new Float32Array(16_000).fill(0.1);
    await engine.transcribe(audio);
    expect(audio.length).to.equal(16_000);
    expect(audio[100]).to.be.closeTo(0.1, 1e-6);
  });

  it('rejects a transcription cancelled before it starts', async () => {
    const error = await engine.transcribe(new Float32Array(16_000), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as SlmError).code).to.equal('aborted');
  });
});

describe('engine.transcribe with an English-only Whisper (a .en checkpoint)', () => {
  let english: SlmEngine;
  let multilingual: SlmEngine;
  before(async () => {
    const modelHost = await modelHostUrl();
    english = new SlmEngine({ asr: 'slm-test/whisper-tiny.en-random', asrDtype: 'fp32', modelHost });
    multilingual = new SlmEngine({ asr: TEST_ASR, modelHost });
  });
  after(async () => {
    await english.dispose();
    await multilingual.dispose();
  });

  it('transcribes when the transcriber passes its defaults (English, transcribe), which Transformers.js alone refuses', async () => {
    const audio = (await loadAudio('/test/fixtures/audio/jfk.wav')).subarray(0, 16_000 * 2);
    const result = await english.transcribe(audio, { language: 'en', task: 'transcribe' });
    expect(result.text.length).to.be.greaterThan(0);
    expect(result.text).to.equal((await english.transcribe(audio)).text);
  });

  it('refuses another language or translation with a clear invalid-argument, where a multilingual model obliges', async () => {
    const audio = (await loadAudio('/test/fixtures/audio/jfk.wav')).subarray(0, 16_000);
    for (const options of [{ language: 'de' }, { task: 'translate' as const }]) {
      let refused: unknown;
      await english.transcribe(audio, options).catch((error: unknown) => (refused = error));
      expect(refused, JSON.stringify(options)).to.be.instanceOf(SlmError);
      expect((refused as SlmError).code).to.equal('invalid-argument');
      expect((refused as SlmError).message).to.match(/English only.*multilingual Whisper/);
      expect((await multilingual.transcribe(audio, options)).text.length).to.be.greaterThan(0);
    }
  });
});

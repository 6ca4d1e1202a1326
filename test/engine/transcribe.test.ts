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

import { expect } from '@open-wc/testing';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { SlmError } from '../../src/errors/slm-error.js';
import { loadAudio } from '../support/audio.js';
import { recordEvents } from '../support/events.js';
import { modelHostRequests, resetModelHost, TEST_MOONSHINE } from '../support/model-host.js';
import { useTranscriber } from '../support/transcriber.js';
import { streamLive } from '../support/live.js';

const RATE = 16_000;

describe('<slm-transcriber> with the fixture Moonshine on WASM', () => {
  let provider: SlmProvider;
  let transcriber: SlmTranscriber;
  let jfk: Float32Array;
  // Before the provider exists, so the model host's request log shows its loading whole.
  before(async () => {
    await resetModelHost();
    jfk = await loadAudio('/test/fixtures/audio/jfk.wav');
  });
  const mounted = useTranscriber(TEST_MOONSHINE);
  beforeEach(() => ({ provider, transcriber } = mounted));

  it('loads the Moonshine files from the model host and runs them in the worker on WASM', async () => {
    await provider.load();
    const placement = provider.engine.state('asr').placement!;
    expect([placement.backend, placement.dtype, placement.modelId]).to.deep.equal(['wasm', 'fp32', 'slm-test/moonshine-tiny-random']);
    const files = new Set((await modelHostRequests()).map((r) => r.path.replace(/^\/slm-test\/moonshine-tiny-random\/resolve\/[^/]+\//, '')));
    for (const file of ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']) {
      expect(files, file).to.include(file);
    }
    const result = await provider.engine.transcribe(jfk.subarray(0, 2 * RATE));
    // Random weights: lowercase letters and spaces, ended by the end token.
    expect(result.text).to.match(/^[a-z][a-z ]*$/);
    expect(result.durationSeconds).to.be.closeTo(2, 0.01);
  });

  it('reads what it is given: the same audio gives the same text, other audio other text', async () => {
    const first = await provider.engine.transcribe(jfk.subarray(0, 2 * RATE));
    const again = await provider.engine.transcribe(jfk.subarray(0, 2 * RATE));
    const other = await provider.engine.transcribe(jfk.subarray(5 * RATE, 7 * RATE));
    expect(again.text).to.equal(first.text);
    expect(other.text).to.not.equal(first.text);
  });

  it('writes more for longer audio, because it reads the audio as long as it is (no 30 s window)', async () => {
    // The fixture ends its text after about 2 + 3 tokens a second of audio, one letter or space a token.
    const lengths: number[] = [];
    for (const seconds of [1.5, 4, 11]) lengths.push((await provider.engine.transcribe(jfk.subarray(0, seconds * RATE))).text.length);
    expect(lengths[1], `${lengths}`).to.be.greaterThan(lengths[0] + 4);
    expect(lengths[2], `${lengths}`).to.be.greaterThan(lengths[1] + 12);
    // A Whisper pads every clip to 30 s; were this one padded, 1.5 s would write as much as 11 s.
    expect(lengths[2], `${lengths}`).to.be.within(30, 45);
  });

  it('handles a clip shorter than its convolutions need', async () => {
    const result = await provider.engine.transcribe(jfk.subarray(0, 400));
    expect(result.text).to.match(/^[a-z ]*$/);
  });

  it('transcribes jfk.wav into final segments covering the whole 11 s', async () => {
    const recorder = recordEvents(transcriber, 'slm-error');
    await transcriber.transcribeFile(new File([await (await fetch('/test/fixtures/audio/jfk.wav')).arrayBuffer()], 'jfk.wav', { type: 'audio/wav' }));
    recorder.stop();
    expect(recorder.events.map((e) => e.detail.message)).to.deep.equal([]);
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals.length).to.be.at.least(1);
    expect(finals[0].start).to.be.lessThan(0.8);
    expect(finals.at(-1)!.end).to.be.greaterThan(10.2);
    for (let i = 1; i < finals.length; i++) expect(finals[i].start - finals[i - 1].end).to.be.lessThan(1.5);
    for (const segment of finals) {
      expect(segment.text).to.match(/^[a-z][a-z ]*$/);
      // No 30 s window: each segment's text is as long as its audio (about 3 letters a second).
      expect(segment.text.length, segment.id).to.be.within(2 * (segment.end - segment.start), 4 * (segment.end - segment.start) + 6);
    }
    expect(transcriber.state).to.equal('idle');
  });

  it('refuses another language or translation once per file, keeping the segments it found', async () => {
    let refused: unknown;
    await provider.engine.transcribe(jfk.subarray(0, 16_000), { language: 'de' }).catch((error: unknown) => (refused = error));
    expect((refused as SlmError).code).to.equal('invalid-argument');
    expect((refused as SlmError).message).to.contain('English only');

    transcriber.task = 'translate';
    const recorder = recordEvents(transcriber, 'slm-error');
    try {
      await transcriber.transcribeFile(new File([await (await fetch('/test/fixtures/audio/jfk.wav')).arrayBuffer()], 'jfk.wav', { type: 'audio/wav' }));
    } finally {
      transcriber.task = 'transcribe';
      recorder.stop();
    }
    // Every window failed the same way: said once, not once per window.
    expect(recorder.events.map((e) => e.detail.code)).to.deep.equal(['invalid-argument']);
    expect(recorder.events[0].detail.message).to.contain('cannot translate');
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals.length).to.be.at.least(1);
    expect(finals.at(-1)!.end).to.be.greaterThan(10.2);
  });

  it('gives partial hypotheses before each final when audio streams in as a live recording does', async () => {
    const store = provider.session.transcript;
    const { changes, errors, received } = await streamLive(provider.engine, jfk, 'live', store);
    expect(received, 'every sample reached the segmenter').to.equal(jfk.length);

    expect(errors.map((e) => e.message)).to.deep.equal([]);
    const finals = store.segments.filter((s) => s.final);
    expect(finals.length).to.be.at.least(1);
    expect(finals.at(-1)!.end).to.be.greaterThan(10.2);
    let withPartials = 0;
    for (const final of finals) {
      const partials = changes.filter((s) => s.id === final.id && !s.final);
      const firstFinal = changes.findIndex((s) => s.id === final.id && s.final);
      expect(changes.findIndex((s) => s.id === final.id && !s.final), `a partial before ${final.id}`).to.be.within(0, firstFinal - 1);
      for (const partial of partials) expect(partial.text).to.match(/^[a-z][a-z ]*$/);
      // A later hypothesis heard more of the utterance and says more, about 3 letters a second
      // more (a Whisper, reading 30 s every time, says about as much either way).
      const [first, last] = [partials[0], partials.at(-1)!];
      const heardMore = last.end - last.start - (first.end - first.start);
      if (heardMore >= 2) {
        withPartials++;
        expect(last.text.length - first.text.length, `${first.text} → ${last.text}`).to.be.at.least(1.5 * heardMore);
      }
    }
    expect(withPartials, 'utterances whose partials heard 2 s more').to.be.at.least(1);
  });
});

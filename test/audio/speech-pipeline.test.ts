import { expect } from '@open-wc/testing';
import { SpeechPipeline } from '../../src/audio/speech-pipeline.js';
import { TranscriptStore, type TranscriptChange } from '../../src/audio/transcript-store.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { tone } from '../support/audio.js';
import { sleep } from '../support/live.js';


/**
 * The capture's last block travels on its own port, the end of input on the worker's: they can
 * arrive in either order. Silence only, so no speech model is needed.
 */
describe('SpeechPipeline: the end of a recording', () => {
  let engine: SlmEngine;
  let pipeline: SpeechPipeline;
  let port: MessagePort;
  beforeEach(async () => {
    engine = new SlmEngine();
    pipeline = new SpeechPipeline(engine, new TranscriptStore(), { vad: 'energy' });
    await pipeline.start();
    port = pipeline.capturePort();
  });
  afterEach(async () => {
    pipeline.dispose();
    port.close();
    await engine.dispose();
  });

  it('waits for capture audio that arrives after the end was asked for, and counts all of it', async () => {
    port.postMessage({ samples: new Float32Array(16_000) });
    const finished = pipeline.finish(16_000 + 1_234);
    await sleep(300);
    port.postMessage({ samples: new Float32Array(1_234) });
    expect(await finished).to.equal(17_234);
  });

  it('ends anyway, with what came, when promised audio never arrives', async () => {
    port.postMessage({ samples: new Float32Array(16_000) });
    const started = performance.now();
    expect(await pipeline.finish(20_000)).to.equal(16_000);
    // The grace period, not a hang.
    expect(performance.now() - started).to.be.within(1_500, 10_000);
  });
});

describe('SpeechPipeline: a final read while the pause runs on', () => {
  it('reads an utterance once, starting before the pause ends it, and files that text as its final', async () => {
    const engine = new SlmEngine();
    const calls: Array<{ priority: string; seconds: number }> = [];
    engine.transcribe = async (audio, options) => {
      calls.push({ priority: options?.priority ?? 'interactive', seconds: audio.length / 16_000 });
      return { text: `heard ${calls.length}`, durationSeconds: audio.length / 16_000, elapsedMs: 1 };
    };
    const store = new TranscriptStore();
    // Partials off, as for a file, so the only readings are the utterance's: a live partial's
    // timing would depend on this machine's load. Early finals follow the live setting.
    const pipeline = new SpeechPipeline(engine, store, { vad: 'energy', segmenter: { partialEveryMs: 1_000_000, earlyFinal: true } });
    try {
      await pipeline.start();
      const quiet = (seconds: number) => Float32Array.from({ length: seconds * 16_000 }, (_, i) => 0.001 * Math.sin(i));
      for (const chunk of [quiet(1), tone(2), quiet(0.5)]) pipeline.pushAudio(chunk);
      await pipeline.drain(0, 0);
      // Half a second into the pause: too soon for a final (0.7 s), late enough for its window.
      expect(store.segments.filter((s) => s.final)).to.have.length(0);
      expect(calls).to.have.length(1);
      pipeline.pushAudio(quiet(1.5));
      await pipeline.drain(0, 0);
      await pipeline.finish();
      const finals = store.segments.filter((s) => s.final);
      expect(finals.map((s) => s.text)).to.deep.equal(['heard 1']);
      expect(calls.map((c) => c.priority)).to.deep.equal(['interactive']);
      expect(calls[0].seconds).to.be.closeTo(finals[0].end - finals[0].start, 0.001);
    } finally {
      pipeline.dispose();
      await engine.dispose();
    }
  });
});

describe('SpeechPipeline: a live preview overtaken by the final reading', () => {
  it('stops the preview still being read, so the final does not wait for the model', async () => {
    const engine = new SlmEngine();
    const previews: AbortSignal[] = [];
    const finals: string[] = [];
    engine.transcribe = (audio, options) => {
      const seconds = audio.length / 16_000;
      if (options?.priority === 'background') {
        // A preview the model never finishes by itself: only a stop ends it.
        const signal = options.signal!;
        previews.push(signal);
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')), { once: true }));
      }
      finals.push(`final of ${seconds.toFixed(2)} s`);
      return Promise.resolve({ text: finals.at(-1)!, durationSeconds: seconds, elapsedMs: 1 });
    };
    const store = new TranscriptStore();
    const pipeline = new SpeechPipeline(engine, store, { vad: 'energy', segmenter: { partialEveryMs: 500, earlyFinal: true } });
    try {
      await pipeline.start();
      const quiet = (seconds: number) => Float32Array.from({ length: seconds * 16_000 }, (_, i) => 0.001 * Math.sin(i));
      for (const chunk of [quiet(1), tone(2)]) pipeline.pushAudio(chunk);
      // Every sample read, with the one preview still pending.
      await pipeline.drain(1, 0);
      expect(previews.length, 'a preview is being read').to.be.greaterThan(0);
      expect(previews.at(-1)!.aborted).to.equal(false);
      pipeline.pushAudio(quiet(2));
      await pipeline.drain(0, 0);
      await pipeline.finish();
      expect(previews.every((signal) => signal.aborted), 'every preview stopped').to.equal(true);
      expect(store.segments.filter((s) => s.final).map((s) => s.text)).to.deep.equal(finals);
      expect(finals).to.have.length(1);
    } finally {
      pipeline.dispose();
      await engine.dispose();
    }
  });
});

describe('SpeechPipeline: a final reading streamed as it is decoded', () => {
  /**
   * One 2 s utterance through a pipeline whose engine streams each final reading in two steps
   * (and then, with `failAfterStreaming`, fails as a crashed worker would).
   */
  async function readUtterance(segmenter: { partialEveryMs: number; earlyFinal?: boolean }, failAfterStreaming = false) {
    const engine = new SlmEngine();
    const finals: Array<{ streamed: boolean }> = [];
    engine.transcribe = async (audio, options) => {
      const seconds = audio.length / 16_000;
      if (options?.priority === 'background') return { text: 'a preview of the sentence', durationSeconds: seconds, elapsedMs: 1 };
      finals.push({ streamed: options?.onText !== undefined });
      options?.onText?.('the');
      options?.onText?.('the reading');
      if (failAfterStreaming) throw new SlmError('worker-crashed', 'The speech worker stopped.');
      return { text: 'the reading so far, and its end', durationSeconds: seconds, elapsedMs: 1 };
    };
    const store = new TranscriptStore();
    const errors: string[] = [];
    const changes: Array<{ text: string; final: boolean }> = [];
    store.addEventListener('slm-transcript', (event) => {
      const { segment } = (event as CustomEvent<TranscriptChange>).detail;
      changes.push({ text: segment.text, final: segment.final });
    });
    const pipeline = new SpeechPipeline(engine, store, { vad: 'energy', segmenter, onError: (error) => errors.push(error.code) });
    try {
      await pipeline.start();
      const quiet = (seconds: number) => Float32Array.from({ length: seconds * 16_000 }, (_, i) => 0.001 * Math.sin(i));
      for (const chunk of [quiet(1), tone(2), quiet(2)]) pipeline.pushAudio(chunk);
      await pipeline.drain(0, 0);
      await pipeline.finish();
      return { finals, changes, errors };
    } finally {
      pipeline.dispose();
      await engine.dispose();
    }
  }

  it('shows the words of a window nothing showed yet (a file) as they come, then its final', async () => {
    const { finals, changes } = await readUtterance({ partialEveryMs: 0 });
    expect(finals).to.deep.equal([{ streamed: true }]);
    expect(changes).to.deep.equal([
      { text: 'the', final: false },
      { text: 'the reading', final: false },
      { text: 'the reading so far, and its end', final: true },
    ]);
  });

  it('keeps the words streamed so far as the final when the reading fails part-way, and says so', async () => {
    const { changes, errors } = await readUtterance({ partialEveryMs: 0 }, true);
    expect(changes.at(-1)).to.deep.equal({ text: 'the reading', final: true });
    // Read again twice (each time the same crash), then the failure itself.
    expect(errors).to.deep.equal(['worker-crashed', 'worker-crashed']);
  });

  it('leaves a live preview on screen alone: the reading is not streamed over it', async () => {
    const { finals, changes } = await readUtterance({ partialEveryMs: 500, earlyFinal: false });
    expect(finals).to.deep.equal([{ streamed: false }]);
    expect(changes.filter((c) => !c.final).map((c) => c.text)).to.include('a preview of the sentence').and.not.to.include('the');
    expect(changes.at(-1)).to.deep.equal({ text: 'the reading so far, and its end', final: true });
  });
});

describe('SpeechPipeline: a final reading cut short by a dead model worker or a lost GPU', () => {
  /**
   * Utterances of `seconds` each through a pipeline whose engine answers each final reading with
   * `answer(call)`: a text, or an error thrown. Readings are 'heard N' by call.
   */
  async function dictate(utterances: number[], answer: (call: number, seconds: number) => string | SlmError | Promise<string | SlmError>) {
    const engine = new SlmEngine();
    const calls: number[] = [];
    engine.transcribe = async (audio) => {
      const seconds = audio.length / 16_000;
      calls.push(seconds);
      const outcome = await answer(calls.length, seconds);
      if (outcome instanceof SlmError) throw outcome;
      return { text: outcome, durationSeconds: seconds, elapsedMs: 1 };
    };
    const store = new TranscriptStore();
    const errors: string[] = [];
    const messages: string[] = [];
    // No partials and no early finals: every reading is an utterance's final, read once its pause ends.
    const pipeline = new SpeechPipeline(engine, store, { vad: 'energy', segmenter: { partialEveryMs: 1_000_000, earlyFinal: false }, onError: (error) => {
      errors.push(error.code);
      messages.push(error.message);
    } });
    try {
      await pipeline.start();
      const quiet = (seconds: number) => Float32Array.from({ length: seconds * 16_000 }, (_, i) => 0.001 * Math.sin(i));
      pipeline.pushAudio(quiet(1));
      for (const seconds of utterances) for (const chunk of [tone(seconds), quiet(3)]) pipeline.pushAudio(chunk);
      await pipeline.drain(0, 0);
      await pipeline.finish();
      return { calls, finals: store.segments.filter((s) => s.final).map((s) => s.text), errors, messages };
    } finally {
      pipeline.dispose();
      await engine.dispose();
    }
  }

  it('reads the utterance again from its audio once the model is back, and files that reading', async () => {
    const { calls, finals, errors } = await dictate([2], (call) => (call === 1 ? new SlmError('worker-crashed', 'The model worker stopped.') : `heard ${call}`));
    expect(finals).to.deep.equal(['heard 2']);
    expect(calls).to.have.length(2);
    expect(calls[1], 'the same audio again').to.equal(calls[0]);
    // The app still hears of the crash.
    expect(errors).to.deep.equal(['worker-crashed']);
  });

  it('does the same after a lost GPU device, twice in a row at most, then keeps what it has and says why', async () => {
    const lost = () => new SlmError('device-lost', 'The GPU device was lost.');
    const twice = await dictate([2], (call) => (call <= 2 ? lost() : `heard ${call}`));
    expect(twice.finals).to.deep.equal(['heard 3']);
    const always = await dictate([2], () => lost());
    expect(always.calls, 'the first reading and two more').to.have.length(3);
    expect(always.finals).to.deep.equal(['']);
    // Told it is being read again (once: the same failure twice is one report), then why it could not be.
    expect(always.errors).to.deep.equal(['device-lost', 'device-lost']);
    expect(always.messages[0]).to.match(/the utterance read again; nothing needs doing/);
    expect(always.messages[1]).to.equal('The GPU device was lost.');
  });

  it('does not read again after a failure the model gives every time (a refused setting)', async () => {
    const { calls, errors } = await dictate([2], () => new SlmError('invalid-argument', 'This model reads English only.'));
    expect(calls).to.have.length(1);
    expect(errors).to.deep.equal(['invalid-argument']);
  });
});

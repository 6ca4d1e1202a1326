import { expect } from '@open-wc/testing';
import { StreamingSegmenter, type RecognitionWindow } from '../../src/audio/segmenter.js';

const FRAME = 512;
const RATE = 16_000;

/** Runs a script of [seconds, isSpeech] through the segmenter, frame by frame. */
function run(script: Array<[number, boolean]>, options = {}) {
  const segmenter = new StreamingSegmenter(options);
  const windows: RecognitionWindow[] = [];
  let sample = 0;
  for (const [seconds, speech] of script) {
    const frames = Math.round((seconds * RATE) / FRAME);
    for (let f = 0; f < frames; f++) {
      const frame = Float32Array.from({ length: FRAME }, (_, i) => (sample + i) / 1e9);
      sample += FRAME;
      windows.push(...segmenter.push(frame, speech ? 0.9 : 0.05));
    }
  }
  windows.push(...segmenter.flush());
  return { windows, finals: windows.filter((w) => w.final), samples: sample, segmenter };
}

describe('StreamingSegmenter', () => {
  it('finds each utterance between pauses, at the right times', () => {
    const { finals } = run([[1, false], [2, true], [1.5, false], [3, true], [1.5, false], [1, true], [1, false]]);
    expect(finals).to.have.length(3);
    const expected = [[1, 3], [4.5, 7.5], [9, 10]];
    finals.forEach((w, i) => {
      expect(w.start, `start ${i}`).to.be.closeTo(expected[i][0], 0.3);
      expect(w.end, `end ${i}`).to.be.closeTo(expected[i][1], 0.3);
      expect(w.audio.length).to.equal(Math.round((w.end - w.start) * RATE));
    });
  });

  it('asks for partials about every 0.8 s while someone speaks, each before its final', () => {
    const { windows } = run([[0.5, false], [4, true], [1, false]]);
    const partials = windows.filter((w) => !w.final);
    expect(partials.length).to.be.within(4, 6);
    const finalIndex = windows.findIndex((w) => w.final);
    expect(windows.slice(0, finalIndex).every((w) => !w.final && w.segmentId === windows[finalIndex].segmentId)).to.equal(true);
    // Each partial covers the utterance so far: its window grows.
    const lengths = partials.map((w) => w.audio.length);
    expect(lengths).to.deep.equal([...lengths].sort((a, b) => a - b));
  });

  it('sends the final window early, once its padding is heard, and nothing else until the pause ends it', () => {
    const { windows, finals } = run([[0.5, false], [2, true], [1.5, false]], { earlyFinal: true });
    const early = windows.filter((w) => w.early);
    expect(early).to.have.length(1);
    expect(finals).to.have.length(1);
    const [final] = finals;
    expect([early[0].segmentId, early[0].start, early[0].end, early[0].final]).to.deep.equal([final.segmentId, final.start, final.end, false]);
    expect(Array.from(early[0].audio)).to.deep.equal(Array.from(final.audio));
    // Between the two, only silence was heard: nothing more to read.
    expect(windows.indexOf(final) - windows.indexOf(early[0])).to.equal(1);
  });

  it('sends a new early window when speech resumes inside the pause, and none for files', () => {
    const { windows, finals } = run([[0.5, false], [1.5, true], [0.5, false], [1.5, true], [1.5, false]], { earlyFinal: true });
    const early = windows.filter((w) => w.early);
    expect(finals).to.have.length(1);
    expect(early).to.have.length(2);
    expect(early[0].end).to.be.lessThan(early[1].end);
    expect(early[1].end).to.equal(finals[0].end);
    expect(run([[0.5, false], [2, true], [1.5, false]], { earlyFinal: true, partialEveryMs: 0 }).windows.some((w) => w.early)).to.equal(false);
  });

  it('asks for no partials when told not to (files)', () => {
    const { windows } = run([[0.5, false], [4, true], [1, false]], { partialEveryMs: 0 });
    expect(windows.map((w) => w.final)).to.deep.equal([true]);
  });

  it('ignores a click shorter than the minimum speech length', () => {
    const { finals } = run([[1, false], [0.064, true], [1, false]]);
    expect(finals).to.have.length(0);
  });

  it('keeps a pause shorter than the threshold inside one utterance', () => {
    const { finals } = run([[0.5, false], [1, true], [0.3, false], [1, true], [1, false]]);
    expect(finals).to.have.length(1);
  });

  it('cuts speech without a pause into windows under 30 s that overlap and lose nothing', () => {
    const { finals } = run([[0.5, false], [70, true], [1, false]]);
    expect(finals.length).to.equal(3);
    for (const w of finals) expect(w.audio.length / RATE).to.be.at.most(30);
    // Segments tile the speech: each starts where the previous ended...
    for (let i = 1; i < finals.length; i++) {
      expect(finals[i].start).to.be.closeTo(finals[i - 1].end, 1e-9);
      // ...and its window reaches back a second before that, so a word on the seam is heard whole.
      expect(finals[i].overlap).to.be.closeTo(1, 0.05);
      expect(finals[i].audio.length / RATE).to.be.closeTo(finals[i].end - finals[i].start + finals[i].overlap, 0.01);
    }
    expect(finals[0].start).to.be.closeTo(0.5, 0.3);
    expect(finals.at(-1)!.end).to.be.closeTo(70.5, 0.3);
  });

  it('makes the utterance still open at the end of input final', () => {
    const { finals } = run([[0.5, false], [2, true]]);
    expect(finals).to.have.length(1);
    expect(finals[0].end).to.be.closeTo(2.5, 0.05);
  });

  it('keeps the audio samples exactly (same values in the window as went in)', () => {
    const { finals } = run([[1, false], [1, true], [1, false]]);
    const w = finals[0];
    const firstSample = Math.round(w.start * RATE);
    expect(w.audio[0]).to.be.closeTo(firstSample / 1e9, 1e-12);
    expect(w.audio[100]).to.be.closeTo((firstSample + 100) / 1e9, 1e-12);
  });

  it('counts every sample it was given and holds bounded memory on long silence', () => {
    const { segmenter, samples } = run([[600, false], [1, true], [1, false]]);
    expect(segmenter.samplesSeen).to.equal(samples);
    expect(segmenter.bufferedSamples).to.be.lessThan(RATE * 2);
  });

  it('holds at most one window of audio through ten minutes without a pause that ends the utterance', () => {
    // A file's windows end only at 8 s of silence, so a dictation with breaths of a second is one
    // long utterance, cut every 28 s; live speech without a 0.7 s pause is too.
    for (const options of [{ partialEveryMs: 0 }, {}]) {
      const segmenter = new StreamingSegmenter(options);
      let most = 0;
      let cuts = 0;
      let sample = 0;
      for (let sentence = 0; sentence < 200; sentence++) {
        for (const [seconds, speech] of [[2.5, true], [0.5, false]] as const) {
          for (let f = 0; f < Math.round((seconds * RATE) / FRAME); f++) {
            cuts += segmenter.push(new Float32Array(FRAME).fill(sample++ / 1e9), speech ? 0.9 : 0.05).filter((w) => w.final).length;
            most = Math.max(most, segmenter.bufferedSamples);
          }
        }
      }
      expect(cuts, JSON.stringify(options)).to.be.greaterThan(15);
      expect(most / RATE, JSON.stringify(options)).to.be.at.most(29);
    }
  });

  describe('without partials (a file)', () => {
    /** Ten 2 s sentences, each followed by a 1 s pause, after half a second of silence. */
    const dictation: Array<[number, boolean]> = [[0.5, false], ...Array.from({ length: 10 }, (): Array<[number, boolean]> => [[2, true], [1, false]]).flat()];

    it('lets utterances with short pauses share a window, cut at the latest of its longest pauses before 28 s', () => {
      const { finals, samples } = run(dictation, { partialEveryMs: 0 });
      expect(finals).to.have.length(2);
      // The window opened at 0.26 s (0.24 s of padding before the speech) reaches 28 s at
      // 28.26 s; the last pause before that is 26.5–27.5 s (frames of 32 ms drift a little).
      expect(finals[0].start).to.be.closeTo(0.26, 0.05);
      expect(finals[0].end).to.be.within(26.5, 27.6);
      expect(finals[0].audio.length / RATE).to.be.at.most(28);
      // The next one carries on from the cut (hearing a second before it) to the end of input:
      // the last pause is too short to close it.
      expect(finals[1].start).to.be.closeTo(finals[0].end, 1e-9);
      expect(finals[1].overlap).to.be.closeTo(1, 0.05);
      expect(finals[1].end).to.equal(samples / RATE);
    });

    it('cuts a full window at a sentence pause, not at the comma breath that came last', () => {
      // Sentences of 3 s speech, a 0.3 s breath, 1.5 s speech, then a 1.2 s pause: the last quiet
      // frame before 28 s is a breath (27.5–27.8 s), the longest pauses end sentences.
      const sentence: Array<[number, boolean]> = [[3, true], [0.3, false], [1.5, true], [1.2, false]];
      const script: Array<[number, boolean]> = [[0.5, false], ...Array.from({ length: 12 }, () => sentence).flat()];
      const { finals } = run(script, { partialEveryMs: 0 });
      expect(finals.length).to.be.at.least(3);
      const sentences = Array.from({ length: 12 }, (_, i) => [0.5 + 6 * i, 0.5 + 6 * i + 4.8]);
      // Every cut between two windows lies in a pause between sentences, none inside one.
      for (const window of finals.slice(0, -1)) {
        const inside = sentences.find(([from, to]) => window.end > from + 0.05 && window.end < to - 0.05);
        expect(inside, `cut at ${window.end.toFixed(2)} s`).to.equal(undefined);
      }
      expect(finals[0].end).to.be.within(23.3, 24.5);
    });

    it('cuts a full window at its latest sentence pause, not at a longer one earlier (Whisper pays for 30 s a window)', () => {
      // 2 s sentences with 1 s pauses, and a 3 s pause (a file joined from two) after the fifth:
      // the window runs on to 28 s and is cut at the last 1 s pause before it, not at 16 s.
      const script: Array<[number, boolean]> = [[0.5, false], ...Array.from({ length: 12 }, (_, i): Array<[number, boolean]> => [[2, true], [i === 4 ? 3 : 1, false]]).flat()];
      const { finals } = run(script, { partialEveryMs: 0 });
      // The pauses begin 3 s apart (2.5, 5.5, …, 14.5), the long one ends at 17.5, then every 3 s:
      // 19.5–20.5, 22.5–23.5, 25.5–26.5; the window (from 0.26 s) is full at 28.26 s.
      expect(finals[0].end).to.be.within(25.5, 26.6);
    });

    it('ends a window at a long pause and leaves the silence out', () => {
      const { finals } = run([[0.5, false], [3, true], [1, false], [3, true], [12, false], [2, true], [1, false]], { partialEveryMs: 0 });
      expect(finals).to.have.length(2);
      expect(finals[0].start).to.be.closeTo(0.26, 0.05);
      expect(finals[0].end).to.be.closeTo(7.5 + 0.24, 0.05);
      expect(finals[1].start).to.be.closeTo(19.5 - 0.24, 0.05);
      expect(finals[1].overlap).to.equal(0);
    });

    it('reads the same speech as one window per sentence when partials are on (live)', () => {
      const { finals } = run(dictation);
      expect(finals).to.have.length(10);
      finals.forEach((w, i) => expect(w.start, `sentence ${i}`).to.be.closeTo(0.5 + 3 * i - 0.24, 0.1));
    });

    it('honours batchPauseMs: a pause that long ends the window', () => {
      const { finals } = run(dictation, { partialEveryMs: 0, batchPauseMs: 900 });
      expect(finals).to.have.length(10);
    });
  });
});

/** What the segmenter asks the recogniser to do with a stretch of audio. */
export interface RecognitionWindow {
  /** The utterance this window belongs to. */
  segmentId: string;
  /** A partial hypothesis while the speaker talks, or the final text of an utterance. */
  final: boolean;
  /** Seconds on the recording's timeline. */
  start: number;
  end: number;
  /** 16 kHz mono samples from `start` to `end`. */
  audio: Float32Array;
  /** Seconds at the window's start that the previous window of this utterance already covered. */
  overlap: number;
  /**
   * Not final yet, but the utterance's final window if the pause under way goes on to end it
   * (`earlyFinal`): recognising it now hides the model's time inside the rest of the pause.
   */
  early?: boolean;
}

export interface SegmenterOptions {
  sampleRate?: number;
  /** Speech probability at or above which a frame counts as speech. */
  speechThreshold?: number;
  /** Probability below which a frame counts as silence (between the two, nothing changes). */
  silenceThreshold?: number;
  /** Speech shorter than this is a cough or a click, not an utterance. */
  minSpeechMs?: number;
  /** Silence this long ends an utterance. */
  pauseMs?: number;
  /**
   * Without partials (`partialEveryMs: 0`: a file, which nobody watches word by word), a pause
   * ends a window only when it is at least this long. Whisper reads every window as 30 s however
   * short it is, so utterances share windows up to `maxWindowMs` (cut at a pause) instead of
   * each paying for a whole one; longer silences are still skipped.
   */
  batchPauseMs?: number;
  /** Audio kept before the detected start and after the detected end, so no word is clipped. */
  padMs?: number;
  /** How often a partial hypothesis is asked for while someone speaks; 0 for none (files). */
  partialEveryMs?: number;
  /** Speech without a pause is cut into windows no longer than this (Whisper reads 30 s). */
  maxWindowMs?: number;
  /** Audio repeated at the start of the window after a cut, so a word on the cut is heard whole. */
  overlapMs?: number;
  /**
   * With partials on: once a pause has lasted `padMs`, the window it would end is complete, and
   * goes out marked `early` so that its recognition starts while the pause runs on to `pauseMs`.
   */
  earlyFinal?: boolean;
}

const defaults: Required<SegmenterOptions> = {
  sampleRate: 16_000,
  speechThreshold: 0.4,
  silenceThreshold: 0.25,
  minSpeechMs: 160,
  pauseMs: 700,
  batchPauseMs: 8_000,
  padMs: 240,
  partialEveryMs: 800,
  maxWindowMs: 28_000,
  overlapMs: 1_000,
  earlyFinal: false,
};

/**
 * Turns a stream of frames and their speech probabilities into recognition windows:
 * partials about every 0.8 s while someone speaks, a final when a pause ends the utterance,
 * and cuts (with overlap) when speech runs on past Whisper's 30 s. Pure and synchronous:
 * it runs the same in a worker, in a file transcription, and in its tests.
 */
export class StreamingSegmenter {
  private readonly o: Required<SegmenterOptions>;
  /** The silence that ends an utterance: `pauseMs`, or `batchPauseMs` without partials. */
  private readonly pauseMs: number;
  /** Every sample since the last one we can forget, and the timeline index of its first. */
  private audio: Float32Array[] = [];
  private audioStart = 0;
  private audioLength = 0;
  /** Samples seen so far: the recording's clock. */
  private seen = 0;
  private inSpeech = false;
  private speechRun = 0;
  private silenceRun = 0;
  private candidateStart = 0;
  private segmentStart = 0;
  private windowStart = 0;
  private windowOverlap = 0;
  private lastSpeech = 0;
  private lastPartialAt = 0;
  /** The last speech frame an early window was sent for, so each pause sends one. */
  private earlyFor = -1;
  private counter = 0;
  private segmentId = '';
  /** Lowest-probability frame in the current window, to cut at a breath rather than a word. */
  private quietest = { at: 0, p: 1 };
  /**
   * In the window's second half: the middle of the latest pause as long as the one that ends a
   * live utterance (`pauseMs`: a sentence's end), the longest pause so far (when no pause is that
   * long), and the pause under way.
   */
  private sentencePause = -1;
  private longestPause = { at: -1, length: 0 };
  private pauseRun = { from: -1, length: 0 };

  constructor(options: SegmenterOptions = {}, private readonly idPrefix = 'seg') {
    this.o = { ...defaults, ...options };
    this.pauseMs = this.o.partialEveryMs > 0 ? this.o.pauseMs : Math.max(this.o.pauseMs, this.o.batchPauseMs);
  }

  /** Samples held for windows still to come; at most one window's worth (`maxWindowMs`) and a frame. */
  get bufferedSamples(): number {
    return this.audioLength;
  }

  /** Samples received since the start: the count the "nothing lost" check compares. */
  get samplesSeen(): number {
    return this.seen;
  }

  /** Feeds one frame and its speech probability; returns the windows it completes. */
  push(frame: Float32Array, speechProbability: number): RecognitionWindow[] {
    const frameStart = this.seen;
    this.append(frame);
    this.seen += frame.length;
    const out: RecognitionWindow[] = [];
    const ms = (samples: number) => (samples * 1000) / this.o.sampleRate;
    const samples = (milliseconds: number) => Math.round((milliseconds * this.o.sampleRate) / 1000);

    if (!this.inSpeech) {
      if (speechProbability >= this.o.speechThreshold) {
        if (this.speechRun === 0) this.candidateStart = frameStart;
        this.speechRun += frame.length;
        if (ms(this.speechRun) >= this.o.minSpeechMs) this.startSegment(Math.max(0, this.candidateStart - samples(this.o.padMs)));
      } else {
        this.speechRun = 0;
        this.forgetBefore(this.seen - samples(this.o.padMs + this.o.minSpeechMs + 100));
      }
      return out;
    }

    if (speechProbability < this.o.silenceThreshold) this.silenceRun += frame.length;
    else if (speechProbability >= this.o.speechThreshold) {
      this.silenceRun = 0;
      this.lastSpeech = this.seen;
    }
    // Among equally quiet frames the latest wins, so a window without a breath runs to full length.
    if (this.seen - this.windowStart > samples(this.o.maxWindowMs / 2)) {
      const middle = frameStart + Math.floor(frame.length / 2);
      if (speechProbability <= this.quietest.p) this.quietest = { at: middle, p: speechProbability };
      if (speechProbability < this.o.silenceThreshold) {
        if (this.pauseRun.from < 0) this.pauseRun = { from: frameStart, length: 0 };
        this.pauseRun.length += frame.length;
        if (this.pauseRun.length >= samples(this.o.pauseMs)) this.sentencePause = this.pauseRun.from + Math.floor(this.pauseRun.length / 2);
        // Among pauses about as long as the longest (frames make equal pauses differ by one),
        // the latest wins, so the window is as full as it can be.
        if (this.pauseRun.length >= this.longestPause.length * 0.9) {
          this.longestPause = { at: this.pauseRun.from + Math.floor(this.pauseRun.length / 2), length: Math.max(this.pauseRun.length, this.longestPause.length) };
        }
      } else this.pauseRun = { from: -1, length: 0 };
    }

    if (ms(this.silenceRun) >= this.pauseMs) {
      const end = Math.min(this.seen, this.lastSpeech + samples(this.o.padMs));
      out.push(this.window(true, this.windowStart, end));
      this.inSpeech = false;
      this.speechRun = 0;
      this.forgetBefore(end);
      return out;
    }
    if (this.seen - this.windowStart >= samples(this.o.maxWindowMs)) {
      // Cut in the middle of the latest sentence-long pause of the window's second half (else its
      // longest pause, else its quietest moment), and hear the next window from a little before it,
      // so a word on the cut is whole in one of the two. A sentence ends at a pause as long as the
      // one that ends a live utterance; a comma's breath is a fraction of that, and a window cut
      // mid-sentence splits one statement between two segments. The latest such pause, not the
      // longest: Whisper pays for 30 s whatever a window holds, so a window cut at 15 s of 28 costs
      // nearly twice as much per second of speech.
      const cut = this.sentencePause >= 0 ? this.sentencePause : this.longestPause.at >= 0 ? this.longestPause.at : this.quietest.p < 1 ? this.quietest.at : this.seen;
      out.push(this.window(true, this.windowStart, cut));
      this.segmentId = this.nextId();
      this.windowOverlap = Math.min(samples(this.o.overlapMs), cut - this.windowStart);
      this.windowStart = cut - this.windowOverlap;
      this.segmentStart = cut;
      // Nothing before the next window is read again. Without this, speech that never paused long
      // enough to end (a file's windows end only at 8 s of silence) kept every frame since its
      // start: the whole recording, in the worker.
      this.forgetBefore(this.windowStart);
      this.resetCut();
      this.lastPartialAt = this.seen;
      return out;
    }
    // The final window ends `padMs` after the last speech: from then on, it is all heard.
    const complete = this.lastSpeech + samples(this.o.padMs);
    if (this.o.earlyFinal && this.o.partialEveryMs > 0 && this.silenceRun > 0 && this.seen >= complete && this.earlyFor !== this.lastSpeech) {
      this.earlyFor = this.lastSpeech;
      out.push({ ...this.window(false, this.windowStart, complete), early: true });
      return out;
    }
    // After an early window, a partial would only repeat it until someone speaks again.
    if (this.o.partialEveryMs > 0 && this.earlyFor !== this.lastSpeech && ms(this.seen - this.lastPartialAt) >= this.o.partialEveryMs) {
      this.lastPartialAt = this.seen;
      out.push(this.window(false, this.windowStart, this.seen));
    }
    return out;
  }

  /** Ends the stream: an utterance still open becomes final (stopping mid-sentence keeps it). */
  flush(): RecognitionWindow[] {
    if (!this.inSpeech) return [];
    this.inSpeech = false;
    return [this.window(true, this.windowStart, this.seen)];
  }

  private startSegment(start: number): void {
    this.inSpeech = true;
    this.segmentId = this.nextId();
    this.segmentStart = start;
    this.windowStart = Math.max(start, this.audioStart);
    this.windowOverlap = 0;
    this.silenceRun = 0;
    this.lastSpeech = this.seen;
    this.lastPartialAt = this.seen;
    this.resetCut();
  }

  private resetCut(): void {
    this.quietest = { at: 0, p: 1 };
    this.sentencePause = -1;
    this.longestPause = { at: -1, length: 0 };
    this.pauseRun = { from: -1, length: 0 };
  }

  private window(final: boolean, from: number, to: number): RecognitionWindow {
    const rate = this.o.sampleRate;
    return {
      segmentId: this.segmentId,
      final,
      start: Math.max(from + this.windowOverlap, this.segmentStart) / rate,
      end: to / rate,
      audio: this.slice(from, to),
      overlap: this.windowOverlap / rate,
    };
  }

  private nextId(): string {
    return `${this.idPrefix}-${++this.counter}`;
  }

  private append(frame: Float32Array): void {
    this.audio.push(frame.slice());
    this.audioLength += frame.length;
  }

  /** Drops audio before a timeline index (bounded memory on an hour of dictation). */
  private forgetBefore(index: number): void {
    while (this.audio.length && this.audioStart + this.audio[0].length <= index) {
      this.audioStart += this.audio[0].length;
      this.audioLength -= this.audio[0].length;
      this.audio.shift();
    }
  }

  private slice(from: number, to: number): Float32Array {
    const out = new Float32Array(Math.max(0, to - from));
    let offset = this.audioStart;
    for (const chunk of this.audio) {
      const chunkEnd = offset + chunk.length;
      const a = Math.max(from, offset);
      const b = Math.min(to, chunkEnd);
      if (a < b) out.set(chunk.subarray(a - offset, b - offset), a - from);
      offset = chunkEnd;
      if (offset >= to) break;
    }
    return out;
  }
}

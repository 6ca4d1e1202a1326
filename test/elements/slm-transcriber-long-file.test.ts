import { expect } from '@open-wc/testing';
import { readWavFormat } from '../../src/audio/wav-stream.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import type { SlmTranscriber } from '../../src/elements/slm-transcriber/slm-transcriber.js';
import type { ErrorDetail } from '../../src/engine/types.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { TEST_ASR } from '../support/model-host.js';
import { repeatedWav } from '../support/wav.js';
import { useTranscriber } from '../support/transcriber.js';
import { recordFault } from '../support/faults.js';

const SPEC = { sampleRate: 16_000, channels: 1, bits: 16 } as const;

/** The 11 s of JFK's speech (16 kHz mono 16-bit), without its header. */
async function jfkSpeech(): Promise<{ speech: Blob; frames: number }> {
  const wav = await (await fetch('/test/fixtures/audio/jfk.wav')).blob();
  const { dataOffset, frames } = await readWavFormat(wav);
  return { speech: wav.slice(dataOffset, dataOffset + frames * 2), frames };
}

/** A file whose bytes past `readableBytes` can no longer be read, as when it is deleted mid-way. */
class VanishingFile extends File {
  constructor(
    parts: BlobPart[],
    name: string,
    private readonly readableBytes: number,
  ) {
    super(parts, name, { type: 'audio/wav' });
  }

  override slice(start = 0, end = this.size, type?: string): Blob {
    if (end <= this.readableBytes) return super.slice(start, end, type);
    return { arrayBuffer: () => Promise.reject(new DOMException('The file is gone.', 'NotReadableError')) } as Blob;
  }
}

describe('<slm-transcriber> with long recordings', () => {
  const mounted = useTranscriber(TEST_ASR);
  let provider: SlmProvider;
  let transcriber: SlmTranscriber;
  beforeEach(() => ({ provider, transcriber } = mounted));

  it('transcribes a long WAV end to end, reading it only as fast as it is recognised', async function () {
    // 187 s of speech read by the fixture model: 21 s on a quiet 2-core machine, past 90 s at load 20.
    this.timeout(400_000);
    const { speech, frames } = await jfkSpeech();
    const times = 17;
    const duration = (frames * times) / 16_000;
    const file = repeatedWav(SPEC, speech, times, 'rounds.wav');
    const progressBar = () => transcriber.shadowRoot!.querySelector<HTMLProgressElement>('[part="file-progress"]');
    const seen: number[] = [];
    const sampler = setInterval(() => seen.push(progressBar()?.value ?? NaN), 20);
    let lastProgress = NaN;
    // The bar is still there, as last drawn, when the state turns idle.
    const onChange = (event: CustomEvent<{ state: string }>) => {
      if (event.detail.state === 'idle') lastProgress = progressBar()?.value ?? NaN;
    };
    transcriber.addEventListener('slm-recording-change', onChange);
    const errors = recordEvents(transcriber, 'slm-error');
    const started = performance.now();

    await transcriber.transcribeFile(file);

    const elapsed = performance.now() - started;
    clearInterval(sampler);
    transcriber.removeEventListener('slm-recording-change', onChange);
    errors.stop();
    expect(errors.events.map((e) => e.detail.message)).to.deep.equal([]);
    const finals = transcriber.segments.filter((s) => s.final);
    expect(finals[0].start).to.be.lessThan(0.8);
    expect(finals.at(-1)!.end).to.be.greaterThan(duration - 1);
    // Every round is heard: the words before JFK's long pause (about 2.3–5.4 s) and after it.
    const heard = (t: number) => finals.some((s) => s.start <= t && s.end >= t);
    for (let round = 0; round < times; round++) for (const t of [1, 8]) expect(heard(round * 11 + t), `${round * 11 + t} s`).to.equal(true);
    for (let i = 1; i < finals.length; i++) expect(finals[i].start - finals[i - 1].end).to.be.lessThan(4);
    expect(finals.every((s) => s.text.length > 0)).to.equal(true);
    expect(lastProgress).to.equal(1);
    const during = seen.filter((p) => p > 0 && p < 1);
    expect(new Set(during).size, 'progress moves while the file is read').to.be.at.least(3);
    expect(during).to.deep.equal([...during].sort((a, b) => a - b));
    const audit = transcriber.lastAudit!;
    expect(audit.received).to.equal(audit.produced);
    expect(audit.produced).to.equal(frames * times);
    // Back-pressure: never more than 8 s of audio (plus the 2 s slice just read), or three
    // windows, waiting at once, however long the file.
    expect(audit.peakBacklog!.queuedSamples).to.be.at.most(10 * 16_000);
    expect(audit.peakBacklog!.pendingWindows).to.be.at.most(3);
    console.log(`${duration.toFixed(0)} s of audio in ${(elapsed / 1000).toFixed(1)} s; ${finals.length} segments; peak backlog ${JSON.stringify(audit.peakBacklog)}`);
  });

  it('stops reading a file on Stop: what was read is transcribed, the rest is marked unread', async () => {
    const { speech, frames } = await jfkSpeech();
    const times = 12;
    const file = repeatedWav(SPEC, speech, times, 'long-round.wav');
    const reading = transcriber.transcribeFile(file);
    // Stop once the first words are filed (the file is read only as fast as it is recognised).
    while (transcriber.state === 'file' && !transcriber.segments.some((s) => s.final && s.text)) await new Promise((resolve) => setTimeout(resolve, 50));
    const button = transcriber.shadowRoot!.querySelector<HTMLButtonElement>('[part="record-button"]')!;
    expect(button.disabled).to.equal(false);
    expect(button.textContent!.trim()).to.equal('Stop');
    button.click();
    await reading;
    expect(transcriber.state).to.equal('idle');
    const audit = transcriber.lastAudit!;
    expect(audit.produced, 'reading stopped before the end').to.be.lessThan(frames * times);
    expect(audit.received).to.equal(audit.produced);
    const mark = transcriber.segments.at(-1)!;
    expect(mark.gapCause).to.equal('stopped');
    expect(mark.start).to.be.closeTo(audit.produced / 16_000, 1e-6);
    expect(mark.gap).to.be.closeTo((frames * times - audit.produced) / 16_000, 1e-6);
    // Every final before the mark ends where reading stopped, or before.
    const finals = transcriber.segments.filter((s) => s.final && s.gap === undefined);
    expect(finals.length).to.be.at.least(1);
    expect(finals.every((s) => s.end <= mark.start + 1e-6 && s.text.length > 0)).to.equal(true);
    const shown = transcriber.shadowRoot!.querySelector<HTMLElement>(`[part="gap"][data-id="${mark.id}"]`)!;
    expect(shown.textContent).to.contain('not transcribed: reading the file was stopped');
  });

  it('stops a file on Stop pressed while it is still being opened: nothing is read, all of it is marked unread', async () => {
    const { speech, frames } = await jfkSpeech();
    const reading = transcriber.transcribeFile(repeatedWav(SPEC, speech, 4, 'opened.wav'));
    await transcriber.stop();
    await reading;
    expect(transcriber.state).to.equal('idle');
    expect(transcriber.lastAudit!.produced).to.equal(0);
    const finals = transcriber.segments.filter((s) => s.final && s.gap === undefined);
    expect(finals).to.deep.equal([]);
    const mark = transcriber.segments.at(-1)!;
    expect(mark.gapCause).to.equal('stopped');
    expect(mark.gap).to.be.closeTo((frames * 4) / 16_000, 1e-6);
  });

  it('keeps what it transcribed when the file cannot be read to the end', async () => {
    provider.session.transcript.upsert({ id: 'kept', text: 'earlier words', start: 0, end: 1, final: true });
    const { speech, frames } = await jfkSpeech();
    const whole = repeatedWav(SPEC, speech, 3);
    // The header and about 1.5 rounds of speech can be read; the rest is gone.
    const file = new VanishingFile([whole], 'vanishing.wav', whole.size - Math.round(1.5 * frames * 2));
    const error = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    await transcriber.transcribeFile(file);
    const { detail } = await error;
    expect(detail.code).to.equal('audio-unsupported');
    expect(detail.message).to.contain('vanishing.wav');
    expect(provider.session.transcript.get('kept')!.text).to.equal('earlier words');
    const finals = transcriber.segments.filter((s) => s.final && s.id !== 'kept');
    // What was read before the failure (16 s) is transcribed, up to the second round's first
    // words, which were still an open utterance when reading failed.
    expect(finals.length).to.be.at.least(1);
    expect(finals.at(-1)!.end).to.be.greaterThan(12.5);
    expect(transcriber.state).to.equal('idle');
  });

  it('refuses a compressed file too large to decode whole, and says what to do', async () => {
    const mp3 = await (await fetch('/test/fixtures/audio/jfk.mp3')).blob();
    // 160 MB that costs nothing: the same 76 kB, referenced again and again.
    const file = new File(Array.from({ length: Math.ceil((160 * 1024 * 1024) / mp3.size) }, () => mp3), 'ward-round.mp3', { type: 'audio/mpeg' });
    const error = nextEvent<CustomEvent<ErrorDetail>>(transcriber, 'slm-error');
    await transcriber.transcribeFile(file);
    const { detail } = await error;
    expect(detail.code).to.equal('audio-too-long');
    await recordFault('a compressed file too long to decode in memory is uploaded', 'audio-too-long', { code: detail.code, lost: null });
    expect(detail.message).to.contain('ward-round.mp3').and.contain('WAV');
    expect(transcriber.state).to.equal('idle');
  });
});

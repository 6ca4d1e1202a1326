import { ContextConsumer } from '@lit/context';
import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TranscriptChange, TranscriptSegment, TranscriptStore } from '../../audio/transcript-store.js';
import type { VadKind } from '../../audio/workers/speech-protocol.js';
import { engineContext } from '../../context.js';
import type { SlmEngine } from '../../engine/slm-engine.js';
import { SlmError } from '../../errors/slm-error.js';
import '../../events.js';
import { sessionContext } from '../../session/session-context.js';
import type { VisitSession } from '../../session/visit-session.js';
import { SlmElement } from '../internal/slm-element.js';
import { FileDrop } from './internal/file-drop.js';
import { RecordShortcut } from './internal/record-shortcut.js';
import { RecordingController } from './internal/recording-controller.js';
import { renderControls, renderTranscript } from './internal/transcriber-view.js';
import { controlStyles } from '../../styles/controls.js';
import { themeStyles } from '../../styles/theme.js';
import { transcriberStyles } from './slm-transcriber.styles.js';

/**
 * Live dictation: words appear while the clinician speaks, settle when they pause, and can
 * be corrected in place. Recordings can also be dropped in as files. Uses the speech model of
 * the enclosing `<slm-provider>`; the transcript belongs to the visit session
 * (`provider.session.transcript`). Starting a new visit stops the recording first, so its
 * last words are filed under the visit they were said in. A visit that another tab records
 * is read-only here: Record is refused with `visit-read-only`. The sentence being spoken when
 * the page reloaded comes back marked "interrupted — check": it can be corrected, and reaches
 * the note only once confirmed (or is discarded).
 *
 * @summary Records and transcribes speech on the device.
 *
 * @fires slm-transcript - A segment was added, updated (partial → final) or corrected (`TranscriptChange`).
 * @fires slm-recording-change - Recording started, paused, stopped, or a file is being read (`{ state }`).
 * @fires slm-error - Microphone refused, missing or unplugged (`mic-disconnected`, after what was said is final); unreadable file; model failure. What was transcribed is kept.
 *
 * @csspart controls - The row of buttons, meter and clock.
 * @csspart record-button - Starts and stops recording (`aria-pressed` while recording).
 * @csspart pause-button - Pauses and resumes.
 * @csspart talk-button - Push-to-talk: records while held.
 * @csspart level - The input level meter.
 * @csspart elapsed - The recording clock.
 * @csspart microphone - The microphone picker.
 * @csspart file-button - Opens a recording to transcribe.
 * @csspart file-progress - Progress of a file transcription.
 * @csspart transcript - The transcript.
 * @csspart segment - One utterance; `data-final` tells partial from final.
 * @csspart highlighted - A segment the reader is looking at in the note (the sources of the focused note item).
 * @csspart gap - A mark where the recording lost audio (the browser suspended it) or where reading a file was stopped, with how long; `data-seconds` has the figure.
 * @csspart suspended - Shown while the browser holds the audio suspended: nothing is recorded until it resumes.
 * @csspart interrupted - A segment being spoken when the page reloaded, with its label and buttons: kept out of the note until confirmed.
 * @csspart interrupted-label - The "interrupted — check" mark.
 * @csspart confirm-button - Confirms an interrupted segment (as corrected): it becomes final and reaches the note.
 * @csspart discard-button - Discards an interrupted segment.
 *
 * @cssprop [--slm-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--slm-color-text=#1f2328] - Text colour.
 * @cssprop [--slm-color-record=#c62828] - Record button while recording; follows `--slm-color-danger` when unset.
 * @cssprop [--slm-color-danger=#c62828] - Record button while recording, unless `--slm-color-record` is set.
 * @cssprop [--slm-color-accent=#0b6bcb] - Focus rings, progress, drop target.
 * @cssprop [--slm-color-muted=#59636e] - Clock and placeholder.
 * @cssprop [--slm-color-surface=#f6f8fa] - Transcript background.
 * @cssprop [--slm-color-highlight=#fff3bf] - Background of segments highlighted from the note.
 * @cssprop [--slm-radius=6px] - Corner radius.
 */
@customElement('slm-transcriber')
export class SlmTranscriber extends SlmElement {
  static override styles = [themeStyles, controlStyles, transcriberStyles];

  /**
   * Spoken language for multilingual Whisper (e.g. `en`, `de`); empty means English
   * (Transformers.js does not detect the language yet). English-only models refuse others.
   */
  @property() language: string | null = null;

  /** `transcribe` keeps the spoken language; `translate` writes English. */
  @property() task: 'transcribe' | 'translate' = 'transcribe';

  /** Voice activity detection: `silero` (a small neural model) or `energy` (loudness only). */
  @property() vad: VadKind = 'silero';

  /** `deviceId` of the microphone to use; empty for the system default. */
  @property() microphone: string | null = null;

  /** Keyboard shortcut that starts and stops recording anywhere on the page (`Alt+R`), unless disabled. */
  @property({ type: Boolean, attribute: 'no-shortcut' }) noShortcut = false;

  private readonly engineConsumer = new ContextConsumer(this, { context: engineContext, subscribe: true });
  private readonly sessionConsumer = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: (session) => this.watch(session) });
  private readonly recording = new RecordingController(
    this,
    () => ({ engine: this.engine, transcript: this.writableTranscript(), language: this.language ?? undefined, task: this.task, vad: this.vad, deviceId: this.microphone ?? undefined }),
    (error) => this.fail(error),
  );
  private watched: VisitSession | null = null;
  private unwatch: Array<() => void> = [];

  constructor() {
    super();
    this.addController(new FileDrop(this, (file) => void this.transcribeFile(file)));
    this.addController(new RecordShortcut(() => !this.noShortcut, () => void (this.state === 'recording' || this.state === 'paused' ? this.stop() : this.start())));
  }

  /** The engine of the enclosing provider. */
  get engine(): SlmEngine | undefined {
    return this.engineConsumer.value;
  }

  /** The visit session whose transcript this element writes. */
  get session(): VisitSession | undefined {
    return this.sessionConsumer.value;
  }

  /** Segments of the visit's transcript, in time order. */
  get segments(): TranscriptSegment[] {
    return this.session?.transcript.segments ?? [];
  }

  /** `idle`, `starting`, `recording`, `paused`, `stopping` or `file`. */
  get state() {
    return this.recording.state;
  }

  /** Samples captured and received by the segmenter in the last recording (they match when nothing was lost). */
  get lastAudit() {
    return this.recording.lastAudit;
  }

  /** Starts recording from the microphone (asks for permission the first time). */
  start(): Promise<void> {
    return this.recording.start().catch((error: unknown) => this.fail(error));
  }

  /**
   * Stops recording: the utterance in progress becomes a final segment. While a file is being
   * transcribed, stops reading it: what was read is transcribed, and a mark in the transcript
   * says how much of the file was left unread.
   */
  stop(): Promise<void> {
    return this.recording.stop();
  }

  /** Pauses recording: nothing is captured until `resume()`. */
  pause(): void {
    this.recording.pause(true);
  }

  resume(): void {
    this.recording.pause(false);
  }

  /** Moves to another microphone without ending the recording. */
  switchMicrophone(deviceId: string): Promise<void> {
    return this.recording.switchMicrophone(deviceId).catch((error: unknown) => this.fail(error));
  }

  /**
   * Confirms an interrupted segment (one being spoken when the page reloaded) with the text it
   * shows now, corrections included: it becomes final and reaches the note.
   */
  confirmSegment(id: string): void {
    const shown = this.renderRoot.querySelector<HTMLElement>(`[part~='segment'][data-id="${CSS.escape(id)}"]`);
    const text = shown?.textContent?.trim();
    this.session?.transcript.confirm(id, text || undefined);
  }

  /** Discards an interrupted segment: it leaves the transcript and the stored visit. */
  discardSegment(id: string): void {
    const transcript = this.session?.transcript;
    if (transcript?.get(id)?.interrupted) transcript.remove(id);
  }

  /** Transcribes a recording; resolves when every segment is final. Failures are also `slm-error` events. */
  transcribeFile(file: Blob): Promise<void> {
    return this.recording.transcribeFile(file).catch((error: unknown) => this.fail(error));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.watch(undefined);
  }

  override render() {
    const { state, level, fileProgress, devices } = this.recording;
    return html`
      ${renderControls({
        state,
        level,
        elapsed: this.recording.elapsed,
        devices,
        microphoneId: this.recording.microphoneId,
        onRecord: () => void this.start(),
        onStop: () => void this.stop(),
        onPause: () => this.pause(),
        onResume: () => this.resume(),
        onTalkDown: () => (this.state === 'idle' ? void this.start() : this.resume()),
        onTalkUp: () => {
          if (this.state === 'recording') this.pause();
        },
        onMicrophone: (deviceId) => void this.switchMicrophone(deviceId),
        onFile: (file) => this.transcribeFile(file),
      })}
      ${this.recording.suspended ? html`<p part="suspended" role="alert">The browser paused the audio, so nothing is being recorded. Click anywhere on the page to resume.</p>` : nothing}
      ${fileProgress !== null && state === 'file' ? html`<progress part="file-progress" max="1" .value=${fileProgress} aria-label="Transcribing file"></progress>` : nothing}
      ${renderTranscript({
        segments: this.segments,
        highlighted: this.session?.transcript.highlighted ?? [],
        readOnly: this.session?.readOnly ?? false,
        onSegmentBlur: this.onSegmentBlur,
        onConfirm: (id) => this.confirmSegment(id),
        onDiscard: (id) => this.discardSegment(id),
      })}
    `;
  }

  private watch(session: VisitSession | undefined): void {
    this.unwatch.forEach((off) => off());
    this.unwatch = [];
    // A recording belongs to the session it started in. A file being read is not stopped: its
    // words go on into the transcript it started in, and the session's seal waits for them (`settle`).
    if (this.watched && this.watched !== session) void this.recording.stopRecording();
    this.watched = session ?? null;
    if (session) {
      const { transcript } = session;
      const listen = (type: string, listener: EventListener) => {
        transcript.addEventListener(type, listener);
        this.unwatch.push(() => transcript.removeEventListener(type, listener));
      };
      listen('slm-transcript', this.onTranscript);
      listen('slm-transcript-highlight', this.onHighlight);
      listen('slm-transcript-clear', this.onCleared);
      // The visit is sealed only once the recording has stopped and its last words are in.
      this.unwatch.push(session.on('slm-session-seal', ({ detail }) => detail.waitUntil(this.recording.settle())));
      this.unwatch.push(session.on('slm-session-access', () => this.requestUpdate()));
    }
    this.requestUpdate();
  }

  /** The transcript a recording may write: none while another tab records this visit. */
  private writableTranscript(): TranscriptStore | undefined {
    const session = this.session;
    if (session?.readOnly) throw new SlmError('visit-read-only', session.readOnlyReason || 'This visit is read-only here.');
    return session?.transcript;
  }

  private readonly onTranscript = (event: Event) => {
    this.requestUpdate();
    const { detail } = event as CustomEvent<TranscriptChange>;
    this.emit('slm-transcript', detail);
  };

  private readonly onCleared = () => this.requestUpdate();

  private readonly onHighlight = async () => {
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector('[data-highlighted]')?.scrollIntoView({ block: 'nearest' });
  };

  private fail(error: unknown): void {
    this.reportError(error, { code: 'speech-failed', kind: 'asr' });
  }

  private readonly onSegmentBlur = (event: FocusEvent) => {
    const span = event.target as HTMLElement;
    const id = span.dataset.id!;
    const text = span.textContent?.trim() ?? '';
    const transcript = this.session?.transcript;
    if (transcript && text !== transcript.get(id)?.text) transcript.edit(id, text);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-transcriber': SlmTranscriber;
  }
  interface HTMLElementEventMap {
    'slm-transcript': CustomEvent<TranscriptChange>;
    'slm-recording-change': CustomEvent<{ state: SlmTranscriber['state'] }>;
  }
}

import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { TranscriptSegment } from '../../../audio/transcript-store.js';
import type { RecordingState } from './recording-controller.js';

/** What `<slm-transcriber>`'s controls show, and what they call back. */
export interface ControlsView {
  state: RecordingState;
  /** Input level, 0 to about 0.3. */
  level: number;
  /** Seconds recorded. */
  elapsed: number;
  devices: MediaDeviceInfo[];
  microphoneId: string | undefined;
  onRecord: () => void;
  onStop: () => void;
  onPause: () => void;
  onResume: () => void;
  /** Push-to-talk: pressed (pointer or Space) and let go. */
  onTalkDown: () => void;
  onTalkUp: () => void;
  onMicrophone: (deviceId: string) => void;
  onFile: (file: File) => Promise<void>;
}

/** What the transcript shows, and what its segments call back. */
export interface TranscriptView {
  segments: TranscriptSegment[];
  /** Segments the reader is looking at in the note. */
  highlighted: readonly string[];
  /** Another tab records this visit: an interrupted segment can be neither corrected nor confirmed here. */
  readOnly: boolean;
  /** A segment lost focus: its text may have been corrected. */
  onSegmentBlur: (event: FocusEvent) => void;
  onConfirm: (id: string) => void;
  onDiscard: (id: string) => void;
}

const formatGap = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`);
const formatClock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** Record, pause, push-to-talk, level, clock, microphone and file. */
export function renderControls(view: ControlsView) {
  const { state, devices } = view;
  const active = state === 'recording' || state === 'paused';
  const onTalkKey = (event: KeyboardEvent) => {
    if (event.key !== ' ' || event.repeat) return;
    event.preventDefault();
    if (event.type === 'keydown') view.onTalkDown();
    else view.onTalkUp();
  };
  const onFilePicked = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void view.onFile(file).finally(() => (input.value = ''));
  };
  return html`<div part="controls">
    <button part="record-button" aria-pressed=${active ? 'true' : 'false'} ?disabled=${state === 'starting' || state === 'stopping'} @click=${active || state === 'file' ? view.onStop : view.onRecord}>
      ${active || state === 'file' ? 'Stop' : state === 'starting' ? 'Starting…' : 'Record'}
    </button>
    <button part="pause-button" ?disabled=${!active} @click=${state === 'paused' ? view.onResume : view.onPause}>${state === 'paused' ? 'Resume' : 'Pause'}</button>
    <button part="talk-button" aria-label="Hold to talk" @pointerdown=${view.onTalkDown} @pointerup=${view.onTalkUp} @pointerleave=${view.onTalkUp} @keydown=${onTalkKey} @keyup=${onTalkKey}>Hold to talk</button>
    <meter part="level" min="0" max="0.3" .value=${view.level} aria-label="Input level"></meter>
    <span part="elapsed" role="timer" aria-label="Recording time">${formatClock(view.elapsed)}</span>
    ${devices.length > 1
      ? html`<select part="microphone" aria-label="Microphone" @change=${(e: Event) => view.onMicrophone((e.target as HTMLSelectElement).value)}>
          ${devices.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === view.microphoneId}>${d.label || `Microphone ${i + 1}`}</option>`)}
        </select>`
      : nothing}
    <label part="file-button">
      <span class="visually-hidden">Transcribe a recording</span>
      <input type="file" accept="audio/*,video/webm" ?disabled=${active || state === 'file'} @change=${onFilePicked} />
    </label>
  </div>`;
}

/** The transcript, and the newest final sentence for screen readers. */
export function renderTranscript(view: TranscriptView) {
  const finals = view.segments.filter((s) => s.final);
  return html`<div part="transcript" role="region" tabindex="0" data-placeholder="Press Record (Alt+R) or drop a recording here." aria-label="Transcript">${repeat(view.segments, (s) => s.id, (s) => renderSegment(view, s))}</div>
    <div class="visually-hidden" aria-live="polite">${finals.at(-1)?.text ?? ''}</div>`;
}

function renderSegment(view: TranscriptView, segment: TranscriptSegment) {
  if (segment.interrupted) return renderInterrupted(view, segment);
  if (segment.gap !== undefined) {
    const why = segment.gapCause === 'stopped' ? 'not transcribed: reading the file was stopped' : 'not recorded: audio was paused by the browser';
    return html`<span part="gap" role="note" data-id=${segment.id} data-seconds=${segment.gap.toFixed(1)}>[${formatGap(segment.gap)} ${why}]</span>${' '}`;
  }
  if (!segment.final) {
    const stable = segment.stableText ?? '';
    const rest = segment.text.startsWith(stable) ? segment.text.slice(stable.length) : segment.text;
    return html`<span part="segment" data-final="false" data-id=${segment.id}>${stable}<span class="unstable">${rest}</span> </span>`;
  }
  const highlighted = view.highlighted.includes(segment.id);
  return html`<span
      part=${highlighted ? 'segment highlighted' : 'segment'}
      data-final="true"
      data-id=${segment.id}
      ?data-highlighted=${highlighted}
      ?data-edited=${segment.edited}
      contenteditable="plaintext-only"
      spellcheck="true"
      title="${segment.start.toFixed(1)}–${segment.end.toFixed(1)} s"
      @blur=${view.onSegmentBlur}
      .textContent=${segment.text}
    ></span>
    ${' '}`;
}

/** Editable like a final segment, but marked, with its two ways out: it is never filed or dropped unseen. */
function renderInterrupted(view: TranscriptView, segment: TranscriptSegment) {
  const { readOnly } = view;
  return html`<span part="interrupted" role="group" aria-label="Interrupted by a reload: check this text">
      <span part="interrupted-label" aria-hidden="true">interrupted — check</span>
      <span
        part="segment"
        data-final="false"
        data-interrupted
        data-id=${segment.id}
        contenteditable=${readOnly ? 'false' : 'plaintext-only'}
        spellcheck="true"
        title="Being said when the page closed (${segment.start.toFixed(1)}–${segment.end.toFixed(1)} s): correct it, then confirm or discard"
        @blur=${view.onSegmentBlur}
        .textContent=${segment.text}
      ></span>
      <button part="confirm-button" ?disabled=${readOnly} @click=${() => view.onConfirm(segment.id)}>Confirm</button>
      <button part="discard-button" ?disabled=${readOnly} @click=${() => view.onDiscard(segment.id)}>Discard</button>
    </span>
    ${' '}`;
}

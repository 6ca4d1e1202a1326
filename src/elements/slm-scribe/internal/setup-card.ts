import { html, nothing } from 'lit';
import type { ModelState } from '../../../engine/types.js';
import { describeProgress, formatBytes } from '../../slm-provider/format.js';
import { describeBackend, estimateDownload, formatDuration, type ModelRecommendation } from './recommend.js';
import { renderFailure } from './failure-text.js';
import type { ScribeScreen } from './screen.js';

export interface SetupCardView {
  screen: ScribeScreen;
  recommendations: ModelRecommendation[];
  models: Record<'asr' | 'llm', Readonly<ModelState>>;
  /** Warnings of the placement plan (slow adapter, tight memory, not enough storage). */
  warnings: string[];
  /** `navigator.storage.persisted()`; null where the browser does not say. */
  persisted: boolean | null;
  /** Bytes this site may still store; null where unknown. */
  freeBytes: number | null;
  onStart: (persist: boolean) => void;
  onRetry: () => void;
  onDismiss: () => void;
}

const ROLE_NAMES = { asr: 'Speech model (dictation)', llm: 'Language model (note refinement and chat)' };

/**
 * The first-run card: which models suit this device, how big they are and how long they take
 * to arrive, where each runs and why; then each one's progress. It says plainly that dictation
 * and the instant draft do not wait for the language model.
 */
export function renderSetupCard(view: SetupCardView) {
  const { screen, recommendations } = view;
  const total = recommendations.filter((r) => !r.cached).reduce((sum, r) => sum + r.downloadBytes, 0);
  const estimate = estimateDownload(total);
  const tooBig = view.freeBytes !== null && total > view.freeBytes;
  const remote = recommendations.find((r) => r.remoteHost)?.remoteHost;
  const heading = {
    checking: 'Checking this device…',
    setup: 'Set up dictation on this device',
    offline: 'Offline, and no models on this device yet',
    loading: 'Getting the models ready',
    ready: 'Ready',
    failed: 'A model could not be loaded',
  }[screen];
  return html`
    <section part="setup" class="card" data-screen=${screen} aria-labelledby="setup-title">
      <h2 id="setup-title">${heading}</h2>
      ${screen === 'offline'
        ? html`<p>This device has no network connection and keeps no models yet, so nothing can be transcribed. Connect once to download them (${formatBytes(total)}); after that the app works offline. Visits stored here can still be opened.</p>`
        : nothing}
      ${screen === 'setup'
        ? html`<p>
            ${remote
              ? html`Speech runs in this browser: no audio leaves the device. The language model runs on the server <strong>${remote}</strong>: the transcript, the note and chat messages are sent there.`
              : 'Everything runs in this browser: no audio or text leaves the device.'}
            These models suit this device; they are downloaded once
            (${formatBytes(total)} in all, ${formatDuration(estimate.seconds)} at ${estimate.measured ? 'your connection’s' : 'an assumed'} ${Math.round(estimate.mbps)} Mbit/s) and kept for offline use.
          </p>`
        : nothing}
      <ul class="models">
        ${recommendations.map((r) => renderModel(r, view.models[r.role], r.role === 'llm' && view.models.asr.status === 'loading'))}
      </ul>
      <p class="hint">Dictation and the instant draft of the note work as soon as the speech model is ready; the language model refines the note and answers in the chat once it has loaded.</p>
      ${view.warnings.map((w) => html`<p class="warning">${w}</p>`)}
      ${tooBig ? html`<p class="warning" role="alert">Storage is nearly full: ${formatBytes(view.freeBytes ?? 0)} free, ${formatBytes(total)} needed. Free some space on this device, or export and erase old visits.</p>` : nothing}
      ${screen === 'setup' ? renderStart(view) : nothing}
      ${screen === 'offline' || screen === 'failed' ? html`<div class="actions"><button class="primary" @click=${view.onRetry}>Try again</button></div>` : nothing}
      ${screen === 'loading' || screen === 'ready' ? html`<div class="actions"><button @click=${view.onDismiss}>Hide</button></div>` : nothing}
    </section>
  `;
}

function renderStart(view: SetupCardView) {
  const start = (event: Event) => {
    const form = (event.target as HTMLElement).closest('form')!;
    event.preventDefault();
    view.onStart((form.elements.namedItem('persist') as HTMLInputElement).checked);
  };
  return html`<form class="actions" @submit=${start}>
    <label><input type="checkbox" name="persist" checked ?disabled=${view.persisted === true} />
      ${view.persisted ? 'Storage is persistent: the browser will not clear models or visits.' : 'Keep models and visits when space runs low (persistent storage)'}</label>
    <button type="submit" class="primary">Download and start</button>
  </form>`;
}

/** `waitsForSpeech`: the language model, which loads once the speech model is ready (`SlmEngine.load`). */
function renderModel(r: ModelRecommendation, state: Readonly<ModelState>, waitsForSpeech: boolean) {
  const value = state.status === 'ready' ? 1 : (state.progress?.fraction ?? 0);
  const status =
    state.status === 'loading'
      ? state.progress
        ? describeProgress(state.progress)
        : waitsForSpeech
          ? 'Starts once the speech model is ready'
          : 'Starting…'
      : state.status === 'ready'
        ? 'Ready'
        : state.status === 'error'
          ? 'Failed'
          : r.remoteHost
            ? 'On the server'
            : r.cached
              ? 'On this device'
              : `${formatBytes(r.downloadBytes)} to download`;
  return html`<li data-role=${r.role} data-status=${state.status}>
    <strong>${ROLE_NAMES[r.role]}: ${r.preset.label}</strong>
    <span class="muted">Runs ${describeBackend(r.backend, r.remoteHost)}. ${r.reason}</span>
    <span class="progress-row">
      <progress max="1" .value=${value} aria-label="${ROLE_NAMES[r.role]} progress"></progress>
      <span>${status}</span>
    </span>
    ${state.error ? renderFailure(state.error, 'alert') : nothing}
  </li>`;
}


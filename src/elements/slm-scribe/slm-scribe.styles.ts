import { css } from 'lit';

/** The app's tokens: the shared `--slm-*` ones, plus a page background; dark and high contrast through the same names. */
const tokens = css`
  :host {
    display: block;
    block-size: var(--slm-scribe-height, 100dvh);
    container: scribe / inline-size;
    position: relative;
    background: var(--slm-color-background, #ffffff);
    --_line: color-mix(in srgb, currentColor 18%, transparent);
    --_record-fill: var(--slm-color-record, var(--slm-color-danger, #c62828));
  }
  @media (prefers-color-scheme: dark) {
    :host {
      background: var(--slm-color-background, #0d1117);
    }
  }
  /* High contrast: black on white, strong lines; every element reads the same public tokens. */
  :host([theme='high-contrast']) {
    --slm-color-background: #ffffff;
    --slm-color-text: #000000;
    --slm-color-surface: #ffffff;
    --slm-color-muted: #1f1f1f;
    --slm-color-accent: #0037a3;
    --slm-color-danger: #a30000;
    --slm-color-flag: #7a3d00;
    --slm-color-highlight: #ffe066;
    --_line: #000000;
    background: #ffffff;
    color: #000000;
  }
  @media (prefers-contrast: more) {
    :host([theme='auto']) {
      --slm-color-background: #ffffff;
      --slm-color-text: #000000;
      --slm-color-surface: #ffffff;
      --slm-color-muted: #1f1f1f;
      --slm-color-accent: #0037a3;
      --slm-color-danger: #a30000;
      --slm-color-flag: #7a3d00;
      --_line: #000000;
      background: #ffffff;
      color: #000000;
    }
  }
  :host([theme='high-contrast']) :focus-visible {
    outline-width: 3px;
  }
`;

/** Laptop: visits | transcript | note | chat. Tablet: transcript | note, side panels over them. Phone: tabs. */
const layout = css`
  slm-provider,
  .app {
    block-size: 100%;
  }
  .app {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) minmax(0, 1fr) auto;
    grid-template-rows: auto auto minmax(0, 1fr);
    grid-template-areas:
      'header header header header'
      'sidebar notices notices chat'
      'sidebar transcript note chat';
  }
  header {
    grid-area: header;
  }
  [part~='sidebar'] {
    grid-area: sidebar;
    inline-size: 17rem;
    overflow: auto;
    padding: 0.75rem;
    border-inline-end: 1px solid var(--_line);
    background: var(--slm-color-background, inherit);
  }
  [part~='sidebar'][hidden] {
    display: none;
  }
  [part~='tabs'] {
    grid-area: tabs;
    display: none;
  }
  .notices {
    grid-area: notices;
    max-block-size: 55vh;
    overflow: auto;
  }
  [part~='transcript-panel'] {
    grid-area: transcript;
  }
  [part~='note-panel'] {
    grid-area: note;
    border-inline-start: 1px solid var(--_line);
  }
  [part~='chat-panel'] {
    grid-area: chat;
    inline-size: 24rem;
    border-inline-start: 1px solid var(--_line);
    background: var(--slm-color-background, inherit);
  }
  [part~='chat-panel']:not([data-open]) {
    display: none;
  }
  section[role='tabpanel'] {
    overflow: auto;
    padding: 0.75rem 1rem;
    min-block-size: 0;
  }
  [part~='transcript-panel'] {
    display: flex;
    flex-direction: column;
  }
  slm-transcriber {
    flex: 1;
    display: flex;
    flex-direction: column;
    min-block-size: 0;
  }
  slm-transcriber::part(transcript) {
    flex: 1;
    overflow: auto;
  }

  /* Tablet: the side panels open over the workspace. */
  @container scribe (max-width: 1099px) {
    .app {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      grid-template-areas:
        'header header'
        'notices notices'
        'transcript note';
    }
    [part~='sidebar'],
    [part~='chat-panel'] {
      position: absolute;
      inset-block: 3.25rem 0;
      z-index: 2;
      box-shadow: 0 0 1.5rem rgb(0 0 0 / 0.25);
      max-inline-size: 85%;
    }
    [part~='sidebar'] {
      inset-inline-start: 0;
    }
    [part~='chat-panel'] {
      inset-inline-end: 0;
    }
  }

  /* Phone: one column with tabs; the recording controls stay in the bottom row on every tab. */
  @container scribe (max-width: 699px) {
    .app {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: auto auto auto minmax(0, 1fr) auto;
      grid-template-areas: 'header' 'tabs' 'notices' 'main' 'recorder';
    }
    [part~='tabs'] {
      display: flex;
    }
    .chat-toggle {
      display: none;
    }
    .notices {
      max-block-size: 30vh;
    }
    [part~='transcript-panel'] {
      grid-area: main-start / 1 / recorder-end / 2;
    }
    .app:not([data-tab='transcript']) [part~='transcript-panel'] {
      grid-area: recorder;
      overflow: visible;
      padding-block: 0.5rem;
      border-block-start: 1px solid var(--_line);
    }
    .app:not([data-tab='transcript']) #title-transcript {
      display: none;
    }
    .app:not([data-tab='transcript']) slm-transcriber::part(transcript) {
      display: none;
    }
    slm-transcriber::part(controls) {
      order: 2;
      padding-block-start: 0.5rem;
    }
    [part~='note-panel'],
    [part~='chat-panel'] {
      grid-area: main;
      display: none;
      position: static;
      inline-size: auto;
      max-inline-size: none;
      box-shadow: none;
      border: 0;
    }
    .app[data-tab='note'] [part~='note-panel'],
    .app[data-tab='chat'] [part~='chat-panel'] {
      display: block;
    }
    [part~='sidebar'] {
      inset-block-start: 3rem;
    }
  }
`;

const pieces = css`
  header {
    display: flex;
    /* On a phone the app's own header-end controls go to a second row rather than off the edge. */
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border-block-end: 1px solid var(--_line);
  }
  /* A link the app puts in the top bar follows the theme (the page's own styles still win). */
  header ::slotted(a) {
    color: inherit;
  }
  h1 {
    font-size: 1.125rem;
    margin: 0;
  }
  .spacer {
    flex: 1;
  }
  button.icon {
    min-inline-size: 2.25rem;
  }
  .panel-title {
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  .dot {
    display: inline-block;
    inline-size: 0.625rem;
    block-size: 0.625rem;
    border-radius: 50%;
    background: var(--_muted);
    margin-inline-end: 0.375rem;
  }
  [part~='status-chip'] {
    border-radius: 999px;
    white-space: nowrap;
  }
  [part~='status-chip'][data-screen='ready'] .dot {
    background: #1a7f37;
  }
  [part~='status-chip'][data-screen='loading'] .dot {
    background: var(--_accent);
  }
  [part~='status-chip']:is([data-screen='failed'], [data-screen='offline']) .dot {
    background: var(--_danger);
  }
  [part~='remote-chip'] {
    border: 1px solid var(--_accent);
    border-radius: 999px;
    padding: 0.125rem 0.625rem;
    font-size: 0.8125rem;
  }
  [part~='recording'] {
    color: var(--_danger);
    font-weight: 600;
  }
  [part~='recording'] .dot {
    background: var(--_record-fill);
  }
  @media (prefers-reduced-motion: no-preference) {
    [part~='recording'] .dot {
      animation: pulse 1.2s ease-in-out infinite alternate;
    }
  }
  @keyframes pulse {
    to {
      opacity: 0.35;
    }
  }
  [part~='tabs'] {
    gap: 0.25rem;
    padding: 0.5rem 0.75rem 0;
    border-block-end: 1px solid var(--_line);
  }
  [role='tab'] {
    flex: 1;
    border: 0;
    border-block-end: 3px solid transparent;
    border-radius: 0;
    padding-block: 0.5rem;
  }
  [role='tab'][aria-selected='true'] {
    border-block-end-color: var(--_accent);
    font-weight: 600;
  }

  /* The record button: large, and the clock and meter beside it readable at a glance. */
  slm-transcriber::part(record-button) {
    font-size: 1.125rem;
    font-weight: 600;
    padding: 0.75rem 1.5rem;
    min-inline-size: 8.5rem;
    border-radius: 999px;
    background: var(--_accent-fill);
    border-color: var(--_accent-fill);
    color: #ffffff;
  }
  .app[data-recording] slm-transcriber::part(record-button) {
    background: var(--_record-fill);
    border-color: var(--_record-fill);
  }
  slm-transcriber::part(elapsed) {
    font-size: 1.25rem;
    color: inherit;
  }
  slm-transcriber::part(level) {
    inline-size: 8rem;
    block-size: 1.25rem;
  }

  .card,
  [part~='alert'] {
    margin: 0.75rem 1rem 0;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='alert'] {
    display: flex;
    gap: 1rem;
    align-items: center;
    border-inline-start: 4px solid var(--_danger);
  }
  [part~='alert'] p {
    margin: 0;
    flex: 1;
  }
  .card h2 {
    font-size: 1.05rem;
    margin: 0 0 0.5rem;
  }
  .card p {
    margin: 0.5rem 0;
  }
  .models {
    list-style: none;
    padding: 0;
    margin: 0.5rem 0;
    display: grid;
    gap: 0.75rem;
  }
  .models li {
    display: grid;
    gap: 0.25rem;
  }
  .progress-row {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    font-variant-numeric: tabular-nums;
  }
  progress {
    inline-size: min(16rem, 50%);
    accent-color: var(--_accent);
  }
  .muted,
  .hint {
    color: var(--_muted);
  }
  .warning,
  .error {
    color: var(--_danger);
  }
  /* The library's own words on a failure, for whoever supports the app. */
  .technical {
    color: var(--_muted);
    font-size: 0.85em;
    overflow-wrap: anywhere;
  }
  .technical summary {
    cursor: pointer;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    margin-block-start: 0.5rem;
  }
  .actions label {
    display: flex;
    gap: 0.375rem;
    align-items: center;
  }
  button.primary {
    background: var(--_accent-fill);
    border-color: var(--_accent-fill);
    color: #ffffff;
    font-weight: 600;
  }
  dialog {
    color: inherit;
    background: var(--slm-color-background, Canvas);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    max-inline-size: min(40rem, 92vw);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  dialog h2 {
    font-size: 1.1rem;
    margin-block-start: 0;
  }
  dd {
    margin: 0.25rem 0 0.75rem;
  }
  .forget {
    border-block-start: 1px solid var(--_line);
    padding-block-start: 0.75rem;
  }
  .forget h3 {
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  .forget p {
    margin-block: 0.5rem 0;
  }
  [part~='forget-confirm'] [data-action='forget'] {
    color: var(--_danger);
    border-color: currentColor;
    font-weight: 600;
  }
  .shortcuts {
    border-collapse: collapse;
    margin-block-end: 1rem;
  }
  .shortcuts :is(th, td) {
    text-align: start;
    padding: 0.25rem 1rem 0.25rem 0;
    border-block-end: 1px solid var(--_line);
  }
  kbd {
    font: inherit;
    font-weight: 600;
  }
  section[role='tabpanel']:focus-visible {
    outline-offset: -2px;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;

/** Paper gets the note alone, without the controls around it. */
const print = css`
  @media print {
    :host {
      block-size: auto;
      background: none;
      color: #000000;
    }
    .app {
      display: block;
    }
    header,
    [part~='sidebar'],
    [part~='tabs'],
    .notices,
    [part~='transcript-panel'],
    [part~='chat-panel'],
    dialog {
      display: none !important;
    }
    [part~='note-panel'] {
      display: block !important;
      overflow: visible;
      border: 0;
    }
    slm-note::part(actions),
    slm-note::part(add-button),
    slm-note::part(lock-button),
    slm-note::part(remove-button) {
      display: none;
    }
  }
`;

export const scribeStyles = [tokens, layout, pieces, print];

import { css } from 'lit';

export const transcriberStyles = css`
  :host {
    display: block;
    font-family: var(--slm-font-family, system-ui, sans-serif);
    color: var(--slm-color-text, #1f2328);
    --_accent: var(--slm-color-accent, #0b6bcb);
    --_record: var(--slm-color-record, #c62828);
    --_muted: var(--slm-color-muted, #59636e);
    --_surface: var(--slm-color-surface, #f6f8fa);
    --_radius: var(--slm-radius, 6px);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--slm-color-text, #e6edf3);
      --_muted: var(--slm-color-muted, #9198a1);
      --_surface: var(--slm-color-surface, #161b22);
    }
  }
  [part~='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  button {
    font: inherit;
    padding: 0.375rem 0.75rem;
    border-radius: var(--_radius);
    border: 1px solid color-mix(in srgb, currentColor 30%, transparent);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  [contenteditable]:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  [part~='record-button'][aria-pressed='true'] {
    background: var(--_record);
    border-color: var(--_record);
    color: white;
  }
  [part~='elapsed'] {
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
    min-width: 3.5rem;
  }
  [part~='level'] {
    inline-size: 6rem;
  }
  [part~='transcript'] {
    margin-block-start: 0.75rem;
    padding: 0.75rem;
    min-block-size: 4rem;
    background: var(--_surface);
    border-radius: var(--_radius);
    line-height: 1.6;
  }
  [part~='transcript']:empty::before {
    content: attr(data-placeholder);
    color: var(--_muted);
  }
  [part~='segment'] {
    border-radius: 3px;
  }
  /* Dimmed by colour, not opacity: the muted colour still meets WCAG AA contrast. */
  [part~='segment'][data-final='false'] .unstable {
    color: var(--_muted);
    font-style: italic;
  }
  [part~='segment'][data-highlighted] {
    background: var(--slm-color-highlight, #fff3bf);
    box-shadow: 0 0 0 2px var(--slm-color-highlight, #fff3bf);
    border-radius: 2px;
  }
  [part~='segment'][data-edited] {
    text-decoration: underline dotted var(--_accent);
  }
  :host([dragging]) [part~='transcript'] {
    outline: 2px dashed var(--_accent);
  }
  [part~='file-progress'] {
    inline-size: 100%;
    accent-color: var(--_accent);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
    }
  }
`;

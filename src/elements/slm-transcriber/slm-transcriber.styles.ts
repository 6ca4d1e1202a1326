import { css } from 'lit';

export const transcriberStyles = css`
  :host {
    /* Follows the shared danger colour, but keeps its light default in the dark: white text sits on it. */
    --_record: var(--slm-color-record, var(--slm-color-danger, #c62828));
    --_control-font-size: 1em;
    --_control-padding: 0.375rem 0.75rem;
  }
  [part~='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  /* The microphone picker keeps the system's look: restyled like the buttons, it pushes the file picker onto a second line. */
  [part~='microphone'] {
    font: revert;
    color: revert;
    background: revert;
    border: revert;
    border-radius: revert;
    padding: revert;
    cursor: revert;
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
  [part~='gap'] {
    color: var(--_muted);
    font-style: italic;
  }
  [part~='suspended'] {
    margin: 0.5rem 0 0;
    color: var(--_record);
  }
  [part~='interrupted'] {
    display: inline;
    padding: 0.125rem 0.25rem;
    border: 1px dashed var(--_record);
    border-radius: 3px;
  }
  [part~='interrupted-label'] {
    font-size: 0.8em;
    color: var(--_record);
    margin-inline-end: 0.25rem;
  }
  [part~='confirm-button'],
  [part~='discard-button'] {
    --_control-font-size: 0.8em;
    --_control-padding: 0.125rem 0.5rem;
    margin-inline-start: 0.25rem;
  }
  :host([dragging]) [part~='transcript'] {
    outline: 2px dashed var(--_accent);
  }
  [part~='file-progress'] {
    inline-size: 100%;
    accent-color: var(--_accent);
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
    }
  }
`;

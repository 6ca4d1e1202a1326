import { css } from 'lit';

export const noteStyles = css`
  [part~='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  [part~='title'] {
    font-size: 1.125rem;
    margin: 0;
    flex: 1;
  }
  [part~='status'] {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  [part~='status'][data-status='updating']::before {
    content: '';
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    margin-inline-end: 0.35em;
    border-radius: 50%;
    background: var(--_accent);
    animation: pulse 1s ease-in-out infinite alternate;
  }
  @keyframes pulse {
    to {
      opacity: 0.2;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='status'][data-status='updating']::before {
      animation: none;
    }
  }
  [part~='actions'] {
    display: flex;
    gap: 0.375rem;
  }
  [part~='remote-notice'] {
    margin: 0.5rem 0 0;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    font-size: 0.8125rem;
  }
  [part~='warning'] {
    color: var(--_flag);
    font-size: 0.875rem;
    margin: 0.5rem 0 0;
  }
  [part~='omissions'] {
    color: var(--_flag);
    font-size: 0.875rem;
    margin: 0.5rem 0 0;
    padding-inline-start: 1.25rem;
  }
  [part~='section'] {
    margin-block: 0.75rem;
  }
  [part~='section-title'] {
    font-size: 0.95rem;
    margin: 0 0 0.25rem;
    color: var(--_accent);
  }
  [part~='items'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  [part~='item'] {
    display: grid;
    grid-template-columns: 1fr auto auto;
    gap: 0.25rem;
    align-items: start;
    padding: 0.25rem;
    border-radius: var(--_radius);
    background: var(--_surface);
    border-inline-start: 3px solid transparent;
  }
  [part~='item'][data-origin='clinician'] {
    border-inline-start-color: var(--_accent);
  }
  [part~='item'][data-origin='draft'] textarea {
    color: color-mix(in srgb, currentColor 80%, transparent);
  }
  [data-flagged] {
    border-inline-start-color: var(--_flag);
  }
  [data-instruction] {
    border-inline-start-color: var(--_flag);
  }
  /* Shown above the sentence: whoever reads the note must see it was said, not done. */
  [part~='instruction'] {
    grid-column: 1 / -1;
    grid-row: 1;
    margin: 0;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--_flag);
  }
  [data-pending] {
    opacity: 0.6;
    font-style: italic;
    grid-template-columns: 1fr;
    padding: 0.35rem 0.5rem;
  }
  /* Borderless until hovered: a note reads as text first, a form second. */
  textarea {
    width: 100%;
    box-sizing: border-box;
    resize: vertical;
    border-color: transparent;
    border-radius: calc(var(--_radius) - 2px);
    padding: 0.25rem 0.375rem;
    field-sizing: content;
    min-height: 1.75rem;
  }
  textarea:hover {
    border-color: color-mix(in srgb, currentColor 20%, transparent);
  }
  [part~='lock-button'],
  [part~='remove-button'] {
    padding: 0.125rem 0.4rem;
    border-color: transparent;
    color: var(--_muted);
  }
  [part~='lock-button'][aria-pressed='true'] {
    color: var(--_accent);
  }
  [part~='flag'] {
    grid-column: 1 / -1;
    margin: 0;
    font-size: 0.8125rem;
    color: var(--_flag);
  }
  [part~='origin'] {
    font-size: 0.75rem;
    color: var(--_muted);
  }
  [part~='add-button'] {
    margin-top: 0.25rem;
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  [part~='empty'] {
    color: var(--_muted);
    font-size: 0.875rem;
    margin: 0;
  }
`;

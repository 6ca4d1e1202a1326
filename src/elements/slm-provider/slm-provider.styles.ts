import { css } from 'lit';

export const providerStyles = css`
  :host([hide-status]) [part~='status'] {
    display: none;
  }
  [part~='status'] {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem;
    margin-block-end: 0.75rem;
    background: var(--_surface);
    border-radius: var(--_radius);
    font-size: 0.875rem;
  }
  [part~='device'] {
    color: var(--_muted);
  }
  [part~='remote'] {
    padding: 0.375rem 0.5rem;
    border-inline-start: 3px solid var(--_danger);
    overflow-wrap: anywhere;
  }
  [part~='model'] {
    display: grid;
    grid-template-columns: 16rem 1fr;
    gap: 0.25rem 0.75rem;
    align-items: center;
  }
  .model-detail {
    grid-column: 2;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  [part~='progress'] {
    inline-size: 100%;
    block-size: 0.5rem;
    accent-color: var(--_accent);
  }
  [part~='error'] {
    grid-column: 1 / -1;
    color: var(--_danger);
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='progress'] {
      transition: none;
    }
  }
`;

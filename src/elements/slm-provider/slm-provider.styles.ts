import { css } from 'lit';

export const providerStyles = css`
  :host {
    display: block;
    font-family: var(--slm-font-family, system-ui, sans-serif);
    color: var(--slm-color-text, #1f2328);
    --_accent: var(--slm-color-accent, #0b6bcb);
    --_muted: var(--slm-color-muted, #59636e);
    --_danger: var(--slm-color-danger, #c62828);
    --_surface: var(--slm-color-surface, #f6f8fa);
    --_radius: var(--slm-radius, 6px);
  }
  :host([hide-status]) [part~='status'] {
    display: none;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--slm-color-text, #e6edf3);
      --_muted: var(--slm-color-muted, #9198a1);
      --_surface: var(--slm-color-surface, #161b22);
      --_accent: var(--slm-color-accent, #4493f8);
      --_danger: var(--slm-color-danger, #f85149);
    }
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

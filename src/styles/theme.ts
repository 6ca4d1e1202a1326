import { css } from 'lit';

/**
 * The design tokens every element reads: public `--slm-*` custom properties, with defaults,
 * mapped to private `--_*` ones, light and dark. An app restyles all elements at once by
 * setting the public ones on any ancestor.
 */
export const themeStyles = css`
  :host {
    display: block;
    font-family: var(--slm-font-family, system-ui, sans-serif);
    color: var(--slm-color-text, #1f2328);
    --_accent: var(--slm-color-accent, #0b6bcb);
    /* White text sits on it, so it keeps the light default in the dark too (5.3:1). */
    --_accent-fill: var(--slm-color-accent, #0b6bcb);
    --_muted: var(--slm-color-muted, #59636e);
    --_surface: var(--slm-color-surface, #f6f8fa);
    --_danger: var(--slm-color-danger, #c62828);
    --_flag: var(--slm-color-flag, #b35900);
    --_radius: var(--slm-radius, 6px);
  }
  @media (prefers-color-scheme: dark) {
    /* The light accent and danger reach only about 3.5:1 on a dark page; these pass AA as text. */
    :host {
      color: var(--slm-color-text, #e6edf3);
      --_accent: var(--slm-color-accent, #4493f8);
      --_muted: var(--slm-color-muted, #9198a1);
      --_surface: var(--slm-color-surface, #161b22);
      --_danger: var(--slm-color-danger, #f85149);
      --_flag: var(--slm-color-flag, #f0a040);
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

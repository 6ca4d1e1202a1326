import { css } from 'lit';

/**
 * One look for the buttons, menus and text fields of every element, on top of `themeStyles`.
 * Elements differ only in size: they set `--_control-font-size` and `--_control-padding` on
 * `:host` rather than restyling the controls.
 */
export const controlStyles = css`
  button,
  select,
  textarea,
  input:not([type='checkbox'], [type='radio'], [type='file'], [type='range']) {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid color-mix(in srgb, currentColor 30%, transparent);
    border-radius: var(--_radius);
  }
  /* Text areas keep the element's own type size: what is typed should read like what is shown. */
  button,
  select,
  input:not([type='checkbox'], [type='radio'], [type='file'], [type='range']) {
    font-size: var(--_control-font-size, 0.875rem);
    padding: var(--_control-padding, 0.25rem 0.625rem);
  }
  button,
  select {
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
`;

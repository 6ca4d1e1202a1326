import { css } from 'lit';

export const visitsStyles = css`
  :host {
    --_control-font-size: 0.8125rem;
    --_control-padding: 0.25rem 0.6rem;
  }
  [part~='header'],
  [part~='footer'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  [part~='footer'] {
    margin-block-start: 0.5rem;
  }
  [part~='rekey'] {
    margin-block-start: 0.5rem;
    font-size: var(--_control-font-size);
  }
  [part~='rekey'] form {
    display: grid;
    gap: 0.35rem;
    justify-items: start;
    margin-block-start: 0.35rem;
  }
  [part~='header'] h2 {
    font-size: 1rem;
    margin: 0;
    flex: 1;
  }
  [part~='list'] {
    list-style: none;
    margin: 0.5rem 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  [part~='visit'] {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    padding: 0.35rem 0.5rem;
    border-radius: var(--_radius);
    background: var(--_surface);
    border-inline-start: 3px solid transparent;
  }
  [part~='visit'][aria-current='true'] {
    border-inline-start-color: var(--_accent);
  }
  [part~='visit-title'] {
    flex: 1;
    min-width: 0;
  }
  [part~='visit-title'] small {
    display: block;
    color: var(--_muted);
  }
  [part~='status'],
  [part~='empty'] {
    color: var(--_muted);
    font-size: 0.8125rem;
    margin: 0;
  }
  [part~='error'] {
    color: var(--_danger);
    font-size: 0.8125rem;
    margin: 0.25rem 0;
  }
  [part~='save-state'] {
    color: var(--_muted);
    font-size: 0.8125rem;
    margin: 0.25rem 0;
  }
  [part~='save-state'][data-state='failed'] {
    color: var(--_danger);
  }
  [part~='read-only'] {
    border-inline-start: 3px solid var(--_danger);
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 0.35rem 0.6rem;
    margin: 0.5rem 0;
    font-size: 0.8125rem;
  }
  [part~='read-only'] p {
    margin: 0 0 0.35rem;
  }
`;

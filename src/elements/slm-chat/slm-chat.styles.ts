import { css } from 'lit';

export const chatStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 12rem;
    max-height: var(--slm-chat-height, 32rem);
    --_control-padding: 0.35rem 0.75rem;
  }
  [part~='log'] {
    flex: 1;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    padding: 0.5rem;
    border-radius: var(--_radius);
    background: var(--_surface);
    min-height: 6rem;
  }
  [part~='log']:empty::before {
    content: attr(data-placeholder);
    color: var(--_muted);
  }
  [part~='message'] {
    max-width: 85%;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    line-height: 1.45;
    overflow-wrap: anywhere;
  }
  [data-role='user'] {
    align-self: flex-end;
    background: color-mix(in srgb, var(--_accent) 14%, transparent);
    white-space: pre-wrap;
  }
  [data-role='assistant'] {
    align-self: flex-start;
    background: color-mix(in srgb, currentColor 6%, transparent);
  }
  [data-role='assistant'] :is(p, ul, ol, pre) {
    margin: 0 0 0.5em;
  }
  [data-role='assistant'] :is(p, ul, ol, pre):last-child {
    margin-bottom: 0;
  }
  [data-role='assistant'] pre {
    overflow-x: auto;
    padding: 0.5rem;
    border-radius: calc(var(--_radius) - 2px);
    background: color-mix(in srgb, currentColor 8%, transparent);
  }
  [part~='message'][data-status='error'] {
    outline: 1px solid var(--_danger);
  }
  [part~='meta'] {
    display: flex;
    gap: 0.375rem;
    align-items: center;
    margin-top: 0.25rem;
    font-size: 0.75rem;
    color: var(--_muted);
  }
  [part~='composer'] {
    display: flex;
    gap: 0.5rem;
    align-items: end;
    margin-top: 0.5rem;
  }
  textarea {
    flex: 1;
    padding: 0.4rem 0.6rem;
    resize: vertical;
    min-height: 2.4rem;
    field-sizing: content;
    max-height: 10rem;
  }
  [part~='meta'] button {
    font-size: 0.75rem;
    padding: 0.1rem 0.4rem;
  }
  [part~='send-button'] {
    background: var(--_accent-fill);
    border-color: var(--_accent-fill);
    color: #fff;
  }
  [part~='options'] {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    font-size: 0.8125rem;
    color: var(--_muted);
    margin-top: 0.375rem;
  }
  [part~='jump-button'] {
    align-self: center;
    margin-top: -2.5rem;
    position: relative;
    background: var(--_surface);
    font-size: 0.75rem;
  }
  [part~='error'] {
    color: var(--_danger);
    font-size: 0.8125rem;
    margin: 0.375rem 0 0;
  }
  a[data-url] {
    color: var(--_accent);
    text-decoration: underline;
    cursor: pointer;
  }
  a[data-url]:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .link-url,
  [part~='link-url'] {
    word-break: break-all;
  }
  .link-url {
    color: var(--_muted);
  }
  [part~='link-confirm'],
  [part~='remote-notice'] {
    margin-top: 0.5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    font-size: 0.8125rem;
  }
  [part~='link-confirm'] p {
    margin: 0 0 0.375rem;
  }
  [part~='link-url'] {
    font-family: ui-monospace, monospace;
  }
  [part~='link-confirm'] div {
    display: flex;
    gap: 0.5rem;
  }
`;

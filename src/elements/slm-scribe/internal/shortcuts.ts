import { html } from 'lit';

/** Every shortcut of the app: `event.code` with Alt, and what it does. The help dialog and the README list these. */
export const SHORTCUTS = [
  { code: 'KeyR', keys: 'Alt+R', action: 'Start or stop recording' },
  { code: 'KeyN', keys: 'Alt+N', action: 'New visit (the open one is saved first)' },
  { code: 'Digit1', keys: 'Alt+1', action: 'Transcript' },
  { code: 'Digit2', keys: 'Alt+2', action: 'Note' },
  { code: 'Digit3', keys: 'Alt+3', action: 'Chat' },
  { code: 'KeyV', keys: 'Alt+V', action: 'Show or hide the visits' },
  { code: 'KeyM', keys: 'Alt+M', action: 'Model status and details' },
  { code: 'Slash', keys: 'Alt+/', action: 'This list of shortcuts' },
] as const;

export type ShortcutCode = (typeof SHORTCUTS)[number]['code'];

export function renderShortcuts() {
  return html`<table class="shortcuts">
    <caption class="visually-hidden">Keyboard shortcuts</caption>
    <thead><tr><th scope="col">Keys</th><th scope="col">Action</th></tr></thead>
    <tbody>
      ${SHORTCUTS.map((s) => html`<tr><td><kbd>${s.keys}</kbd></td><td>${s.action}</td></tr>`)}
      <tr><td><kbd>Tab</kbd>, <kbd>Shift+Tab</kbd></td><td>Move between controls; Enter or Space presses</td></tr>
      <tr><td><kbd>Esc</kbd></td><td>Close a dialog or panel</td></tr>
    </tbody>
  </table>`;
}

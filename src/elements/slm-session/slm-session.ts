import { provide } from '@lit/context';
import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sessionContext } from '../../session/session-context.js';
import { VisitSession } from '../../session/visit-session.js';
import { SlmElement } from '../internal/slm-element.js';

/**
 * Gives the elements inside it their own visit session, while they share the models of the
 * enclosing `<slm-provider>`: two patients side by side, each with a transcriber, a note,
 * a chat and a `<slm-visits>` of their own.
 *
 * @summary A separate visit (transcript, note, chat) for part of the page.
 *
 * @slot - The elements that work on this visit.
 */
@customElement('slm-session')
export class SlmSession extends SlmElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The visit session offered to the elements inside; set your own to control it from the app. */
  @provide({ context: sessionContext })
  @property({ attribute: false })
  session: VisitSession = new VisitSession();

  override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'slm-session': SlmSession;
  }
}

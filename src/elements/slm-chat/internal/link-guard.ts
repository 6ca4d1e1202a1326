import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';

/**
 * Links the model wrote never leave the page at a click: the chat renders them without an
 * `href` (see `renderMarkdown`'s `confirm` mode) and this controller asks first, in the chat,
 * showing the whole address. A model can put what was said in the visit into a link's query
 * string, so the clinician must see it before anything is sent.
 */
export class LinkGuard implements ReactiveController {
  /** The address waiting for a yes; null when nothing is asked. */
  pending: string | null = null;
  private returnFocus: HTMLElement | null = null;
  private focusPending = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.focusPending) return;
    this.focusPending = false;
    // Cancel first: Enter pressed twice by habit must not open the link.
    this.host.shadowRoot?.querySelector<HTMLButtonElement>('[part~="link-cancel-button"]')?.focus();
  }

  /** For the log's click and keydown: a model link asks instead of navigating. */
  readonly onActivate = (event: MouseEvent | KeyboardEvent): void => {
    if (event instanceof KeyboardEvent && event.key !== 'Enter' && event.key !== ' ') return;
    const link = (event.target as Element | null)?.closest?.<HTMLElement>('a[data-url]');
    if (!link) return;
    event.preventDefault();
    this.ask(link.dataset.url!, link);
  };

  ask(url: string, from: HTMLElement | null = null): void {
    this.pending = url;
    this.returnFocus = from;
    this.focusPending = true;
    this.host.requestUpdate();
  }

  /** Opens the pending link in a new tab that cannot reach back to this page, nor learn where it came from. */
  open(): void {
    const url = this.pending;
    this.close();
    if (url) window.open(url, '_blank', 'noopener,noreferrer');
  }

  close(): void {
    this.pending = null;
    this.host.requestUpdate();
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  render() {
    const url = this.pending;
    if (!url) return nothing;
    return html`<div part="link-confirm" role="alertdialog" aria-labelledby="link-confirm-title" aria-describedby="link-confirm-url" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), this.close())}>
      <p id="link-confirm-title"><strong>Leave the app for this address?</strong> The model wrote this link; an address can carry what was said in the visit.</p>
      <p part="link-url" id="link-confirm-url">${url}</p>
      <div>
        <button part="link-open-button" @click=${() => this.open()}>Open link</button>
        <button part="link-cancel-button" @click=${() => this.close()}>Cancel</button>
      </div>
    </div>`;
  }
}

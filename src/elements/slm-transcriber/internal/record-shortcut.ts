import type { ReactiveController } from 'lit';

/** Alt+R anywhere on the page starts and stops recording, unless the element turns it off. */
export class RecordShortcut implements ReactiveController {
  constructor(
    private readonly enabled: () => boolean,
    private readonly toggle: () => void,
  ) {}

  hostConnected(): void {
    document.addEventListener('keydown', this.onKeyDown);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onKeyDown);
  }

  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (!this.enabled() || !event.altKey || event.code !== 'KeyR') return;
    event.preventDefault();
    this.toggle();
  };
}

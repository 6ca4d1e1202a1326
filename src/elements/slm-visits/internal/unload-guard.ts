import type { ReactiveController } from 'lit';
import type { SessionRecorder } from '../../../visits/session-recorder.js';

/**
 * Before the page goes: what waits its turn (partials, a note) is written now, and the page asks
 * before closing while writes have failed, since those are what a reload would lose.
 */
export class UnloadGuard implements ReactiveController {
  constructor(private readonly recorder: () => SessionRecorder | null | undefined) {}

  hostConnected(): void {
    window.addEventListener('beforeunload', this.onBeforeUnload);
  }

  hostDisconnected(): void {
    window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    const recorder = this.recorder();
    if (!recorder) return;
    void recorder.flush();
    if (recorder.failedCount > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  };
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VisitSession } from '../../../session/visit-session.js';
import { countSegments, type SegmentCount } from './segment-count.js';

/**
 * The open visit's segments as the session holds them. The stored count lags the writes (the
 * list is read again at most about once a second, and first when the visit is created, before
 * its first segment is in), so the open visit's row counts these instead.
 */
export class OpenVisitCount implements ReactiveController {
  value: SegmentCount = { spoken: 0, gaps: 0 };
  private unwatch: (() => void) | null = null;
  private session: VisitSession | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Counts this session's transcript from now on. */
  follow(session: VisitSession): void {
    this.stop();
    this.session = session;
    this.unwatch = session.on('slm-session-transcript', () => this.recount());
    this.recount();
  }

  /** Counts again (the session switched visits). */
  recount(): void {
    if (!this.session) return;
    this.value = countSegments(this.session.transcript.segments);
    this.host.requestUpdate();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.session = null;
  }

  hostDisconnected(): void {
    this.stop();
  }
}

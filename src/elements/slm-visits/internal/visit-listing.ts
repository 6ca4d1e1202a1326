import type { VisitSummary } from '../../../visits/visit-types.js';

/**
 * The visits as the store last listed them. A dictation writes often, so the list is read
 * again at most about once a second; listings overlap meanwhile, and one that took longer
 * must not put back an older list, so only the newest asked for is shown.
 */
export class VisitListing {
  private asked = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `list` is undefined while there is no store to list. */
  constructor(
    private readonly list: () => Promise<VisitSummary[]> | undefined,
    private readonly show: (visits: VisitSummary[]) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Lists the visits now. */
  async refresh(): Promise<void> {
    const listing = ++this.asked;
    try {
      const visits = await this.list();
      if (!visits) return;
      if (listing === this.asked) this.show(visits);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Drops a listing that is due or under way: the store it would read is closing. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.asked++;
  }

  /** Lists the visits within about a second, once however often it is asked meanwhile. */
  soon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, 600);
  }
}

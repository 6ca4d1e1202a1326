/**
 * One tab records a visit at a time: the tab that opens a visit holds a Web Lock named after
 * the database and the visit until it opens another or closes. A second tab that asks for
 * the same visit is told no at once (`ifAvailable`) and stays read-only.
 */
export class VisitLock {
  private held: { visitId: string; release: () => void } | null = null;
  private asking: { visitId: string; granted: Promise<boolean> } | null = null;
  private closed = false;

  constructor(private readonly dbName: string) {}

  /** Resolves to whether this page now holds the visit's lock; the lock it held before is let go. */
  acquire(visitId: string): Promise<boolean> {
    if (this.held?.visitId === visitId) return Promise.resolve(true);
    if (this.asking?.visitId === visitId) return this.asking.granted;
    this.release();
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    // Without Web Locks (an insecure page) there is no way to know about other tabs.
    if (!locks) return Promise.resolve(true);
    const granted = new Promise<boolean>((resolve) => {
      void locks
        .request(this.name(visitId), { ifAvailable: true }, (lock) => {
          // A lock granted after this page let go of the store is not kept: another page may need it.
          if (!lock || this.closed) {
            resolve(false);
            return undefined;
          }
          return new Promise<void>((release) => {
            this.held = { visitId, release };
            resolve(true);
          });
        })
        .catch(() => resolve(true));
    });
    const asking = { visitId, granted };
    this.asking = asking;
    void granted.finally(() => {
      if (this.asking === asking) this.asking = null;
    });
    return granted;
  }

  release(): void {
    this.held?.release();
    this.held = null;
  }

  /** Lets go for good: a lock still being asked for is let go as soon as it comes. */
  close(): void {
    this.closed = true;
    this.release();
  }

  private name(visitId: string): string {
    return `slm-visits:${this.dbName}:${visitId}`;
  }
}

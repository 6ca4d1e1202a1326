interface Waiting {
  run: () => Promise<unknown>;
  done: Promise<unknown>;
}

/**
 * Runs writes one at a time, in the order they were asked for. Sealing is asynchronous, so
 * without this a streamed chat answer re-put per token could land an older, shorter text
 * last. A write to a row that is still waiting its turn replaces the waiting one: only the
 * newest text of that row is sealed and stored, and both callers get its outcome.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Map<string, Waiting>();

  run<T>(rowKey: string | undefined, write: () => Promise<T>): Promise<T> {
    const queued = rowKey === undefined ? undefined : this.waiting.get(rowKey);
    if (queued) {
      queued.run = write;
      return queued.done as Promise<T>;
    }
    const entry: Waiting = { run: write, done: Promise.resolve() };
    entry.done = this.tail.then(() => {
      if (rowKey !== undefined) this.waiting.delete(rowKey);
      return entry.run();
    });
    if (rowKey !== undefined) this.waiting.set(rowKey, entry);
    this.tail = entry.done.catch(() => undefined);
    return entry.done as Promise<T>;
  }

  /** Settles once every write asked for so far has finished, whatever its outcome. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

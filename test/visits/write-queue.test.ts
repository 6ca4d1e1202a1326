import { expect } from '@open-wc/testing';
import { WriteQueue } from '../../src/visits/write-queue.js';
import { rejectionOf } from './visit-fixtures.js';

describe('WriteQueue', () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1));

  it('runs writes one at a time in the order they were asked for', async () => {
    const queue = new WriteQueue();
    const log: string[] = [];
    const write = (label: string) => async () => {
      log.push(`start ${label}`);
      await pause();
      log.push(`end ${label}`);
    };

    await Promise.all([queue.run(undefined, write('a')), queue.run(undefined, write('b'))]);

    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b']);
  });

  it('replaces a waiting write to the same row, so only the newest text is stored', async () => {
    const queue = new WriteQueue();
    const stored: string[] = [];
    const write = (text: string) => async () => {
      await pause();
      stored.push(text);
      return text;
    };

    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = queue.run('row', () => (started(), write('H')()));
    await firstStarted;

    const outcomes = await Promise.all([first, queue.run('row', write('He')), queue.run('row', write('Hel')), queue.run('row', write('Hello'))]);

    // The first had already started; the three waiting behind it collapse into the newest.
    expect(stored).to.deep.equal(['H', 'Hello']);
    expect(outcomes).to.deep.equal(['H', 'Hello', 'Hello', 'Hello']);
  });

  it('carries on after a failed write, and idle() waits for everything asked for', async () => {
    const queue = new WriteQueue();
    const failed = queue.run(undefined, () => Promise.reject(new Error('disk full')));
    let later = false;
    void queue.run(undefined, async () => {
      await pause();
      later = true;
    });

    await queue.idle();

    expect(((await rejectionOf(failed)) as Error).message).to.equal('disk full');
    expect(later).to.equal(true);
  });
});

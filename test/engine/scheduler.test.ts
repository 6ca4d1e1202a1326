import { expect } from '@open-wc/testing';
import { Scheduler } from '../../src/engine/scheduler.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { recordFault } from '../support/faults.js';

/** A task that records when it starts and ends and finishes when told to (or when aborted). */
function controllable(log: string[], name: string) {
  let finish!: (value: string) => void;
  const task = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      log.push(`start:${name}`);
      finish = (value) => {
        log.push(`end:${name}`);
        resolve(value);
      };
      signal.addEventListener('abort', () => {
        log.push(`abort:${name}`);
        reject(signal.reason);
      });
    });
  return { task, finish: (value = name) => finish(value) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Scheduler', () => {
  it('runs one task at a time per model, so generations never interleave', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const a = controllable(log, 'a');
    const b = controllable(log, 'b');
    const pa = scheduler.schedule(a.task, { resource: 'llm', priority: 'normal' });
    const pb = scheduler.schedule(b.task, { resource: 'llm', priority: 'normal' });
    await tick();
    expect(log).to.deep.equal(['start:a']);
    a.finish();
    expect(await pa).to.equal('a');
    await tick();
    b.finish();
    expect(await pb).to.equal('b');
    expect(log).to.deep.equal(['start:a', 'end:a', 'start:b', 'end:b']);
  });

  it('lets the speech model and the language model work at the same time', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const llm = controllable(log, 'llm');
    const asr = controllable(log, 'asr');
    const pl = scheduler.schedule(llm.task, { resource: 'llm', priority: 'normal' });
    const pa = scheduler.schedule(asr.task, { resource: 'asr', priority: 'interactive' });
    await tick();
    expect(log).to.have.members(['start:llm', 'start:asr']);
    llm.finish();
    asr.finish();
    await Promise.all([pl, pa]);
  });

  it('orders waiting tasks: interactive (a live note update), then normal (chat), then background', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const blocker = controllable(log, 'blocker');
    const running = scheduler.schedule(blocker.task, { resource: 'llm', priority: 'background' });
    await tick();
    const done: Promise<string>[] = [];
    for (const [name, priority] of [
      ['bg', 'background'],
      ['normal1', 'normal'],
      ['interactive', 'interactive'],
      ['normal2', 'normal'],
    ] as const) {
      done.push(scheduler.schedule(async () => (log.push(`run:${name}`), name), { resource: 'llm', priority }));
    }
    expect(scheduler.snapshot().llm.queued).to.have.length(4);
    blocker.finish();
    await Promise.all([running, ...done]);
    expect(log.filter((l) => l.startsWith('run:'))).to.deep.equal(['run:interactive', 'run:normal1', 'run:normal2', 'run:bg']);
  });

  it('replaces a queued note update with a newer one', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const blocker = controllable(log, 'blocker');
    const running = scheduler.schedule(blocker.task, { resource: 'llm', priority: 'normal' });
    await tick();
    const older = scheduler.schedule(async () => 'older', { resource: 'llm', priority: 'interactive', supersedeKey: 'note' });
    const newer = scheduler.schedule(async () => 'newer', { resource: 'llm', priority: 'interactive', supersedeKey: 'note' });
    const olderError = await older.then(
      () => null,
      (e: unknown) => e,
    );
    expect(olderError).to.be.instanceOf(SlmError);
    expect((olderError as SlmError).code).to.equal('superseded');
    blocker.finish();
    expect(await newer).to.equal('newer');
    await running;
  });

  it('aborts a running update when a newer one asks to cancel it', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const first = controllable(log, 'first');
    const p1 = scheduler.schedule(first.task, { resource: 'llm', priority: 'interactive', supersedeKey: 'note', cancelRunning: true });
    await tick();
    const p2 = scheduler.schedule(async () => (log.push('run:second'), 'second'), {
      resource: 'llm',
      priority: 'interactive',
      supersedeKey: 'note',
      cancelRunning: true,
    });
    const error = (await p1.catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('superseded');
    expect(await p2).to.equal('second');
    // The second task started only after the first had stopped.
    expect(log).to.deep.equal(['start:first', 'abort:first', 'run:second']);
    await recordFault('a newer note update supersedes a running one', 'superseded', { code: error.code, lost: null });
  });

  it('cancels a queued task through its AbortSignal without running it', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const blocker = controllable(log, 'blocker');
    const running = scheduler.schedule(blocker.task, { resource: 'llm', priority: 'normal' });
    await tick();
    const controller = new AbortController();
    const queued = scheduler.schedule(async () => log.push('run:queued'), { resource: 'llm', priority: 'normal', signal: controller.signal });
    controller.abort();
    const error = (await queued.catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('aborted');
    blocker.finish();
    await running;
    await tick();
    expect(log).to.not.include('run:queued');
  });

  it('cancels a running task through its AbortSignal and frees the model for the next', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    const task = controllable(log, 'long');
    const controller = new AbortController();
    const p = scheduler.schedule(task.task, { resource: 'llm', priority: 'normal', signal: controller.signal });
    await tick();
    controller.abort();
    expect(((await p.catch((e: unknown) => e)) as SlmError).code).to.equal('aborted');
    expect(await scheduler.schedule(async () => 'next', { resource: 'llm', priority: 'normal' })).to.equal('next');
  });

  it('rejects a task whose signal is already aborted', async () => {
    const scheduler = new Scheduler();
    const error = (await scheduler
      .schedule(async () => 'never', { resource: 'asr', priority: 'interactive', signal: AbortSignal.abort() })
      .catch((e: unknown) => e)) as SlmError;
    expect(error.code).to.equal('aborted');
  });

  it('starts nothing while held, then runs what was asked for meanwhile in its order', async () => {
    const scheduler = new Scheduler();
    const log: string[] = [];
    let release!: () => void;
    const held = scheduler.holdWhile(
      () =>
        new Promise<string>((resolve) => {
          log.push('hold');
          release = () => resolve('deleted');
        }),
    );
    const chat = scheduler.schedule(async () => log.push('run:chat'), { resource: 'llm', priority: 'normal', label: 'chat' });
    const speech = scheduler.schedule(async () => log.push('run:speech'), { resource: 'asr', priority: 'interactive', label: 'speech' });
    await tick();
    await tick();
    expect(log).to.deep.equal(['hold']);
    expect(scheduler.snapshot().llm).to.deep.equal({ running: null, queued: ['chat'] });
    release();
    expect(await held).to.equal('deleted');
    await Promise.all([chat, speech]);
    expect(log.slice(1).sort()).to.deep.equal(['run:chat', 'run:speech']);
  });

  it('lets go of a hold whose work failed', async () => {
    const scheduler = new Scheduler();
    const failed = await scheduler.holdWhile(() => Promise.reject(new Error('disk'))).catch((e: unknown) => e as Error);
    expect(failed.message).to.equal('disk');
    expect(await scheduler.schedule(async () => 'after', { resource: 'llm', priority: 'normal' })).to.equal('after');
  });
});

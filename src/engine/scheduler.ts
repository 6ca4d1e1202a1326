import { SlmError } from '../errors/slm-error.js';

/**
 * Which waiting task runs first on a resource. `interactive`: work a person watches happen
 * live (final transcription while dictating, the note updating from it). `normal`: requests
 * a person asked for (a chat answer, the default of `generate`). `background`: anything that
 * may wait (live partial hypotheses, batch work).
 */
export type TaskPriority = 'interactive' | 'normal' | 'background';

/**
 * Each kind of model is a resource: one task at a time runs on it, so generations never
 * interleave. The language models (`llm`, `small`) share `llm`, the speech models (`asr`,
 * `preview`) share `asr`: never two on one device at once.
 */
export type TaskResource = 'llm' | 'asr' | 'embed';

const RESOURCES: readonly TaskResource[] = ['llm', 'asr', 'embed'];

export interface TaskOptions {
  resource: TaskResource;
  priority: TaskPriority;
  signal?: AbortSignal;
  /**
   * Tasks with the same key replace each other: a newer one rejects a queued older one
   * with `SlmError('superseded')`; with `cancelRunning`, a running one is aborted too.
   */
  supersedeKey?: string;
  cancelRunning?: boolean;
  /** A name for the task, shown in `scheduler.snapshot()`. */
  label?: string;
}

interface Task {
  order: number;
  options: TaskOptions;
  controller: AbortController;
  run: (signal: AbortSignal) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

const rank: Record<TaskPriority, number> = { interactive: 0, normal: 1, background: 2 };

/**
 * The engine's one queue. Callers never touch a model directly: they hand the scheduler
 * a function that uses it, and the scheduler decides when it runs.
 */
export class Scheduler {
  private order = 0;
  private readonly queues: Record<TaskResource, Task[]> = { llm: [], asr: [], embed: [] };
  private readonly running: Record<TaskResource, Task | null> = { llm: null, asr: null, embed: null };
  /** How many `holdWhile` calls are under way: while any is, no task starts. */
  private holds = 0;

  schedule<T>(run: (signal: AbortSignal) => Promise<T>, options: TaskOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal, supersedeKey } = options;
      if (signal?.aborted) return reject(new SlmError('aborted', 'The task was cancelled before it started.'));
      if (supersedeKey !== undefined) this.supersede(options.resource, supersedeKey, options.cancelRunning ?? false);

      const controller = new AbortController();
      const onAbort = () => this.cancel(task, new SlmError('aborted', 'The task was cancelled.'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const task: Task = {
        order: this.order++,
        options,
        controller,
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      this.queues[options.resource].push(task);
      this.queues[options.resource].sort((a, b) => rank[a.options.priority] - rank[b.options.priority] || a.order - b.order);
      // Let every task scheduled in this turn queue up before one starts, so priorities
      // decide among them rather than arrival order.
      queueMicrotask(() => this.pump(options.resource));
    });
  }

  /** What is running and waiting, for status displays and tests. */
  snapshot(): Record<TaskResource, { running: string | null; queued: string[] }> {
    const view = (resource: TaskResource) => ({
      running: this.running[resource]?.options.label ?? (this.running[resource] ? 'task' : null),
      queued: this.queues[resource].map((t) => t.options.label ?? 'task'),
    });
    return { llm: view('llm'), asr: view('asr'), embed: view('embed') };
  }

  /**
   * Starts no task until `work` settles: tasks asked for meanwhile wait in their queues and then
   * run in their order. For work no model may be used beside (deleting the models' files).
   */
  async holdWhile<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      if (this.holds === 0) for (const resource of RESOURCES) this.pump(resource);
    }
  }

  /** Rejects everything queued and aborts everything running (used when the engine is disposed). */
  clear(reason = new SlmError('aborted', 'The engine was shut down.')): void {
    for (const resource of RESOURCES) {
      for (const task of [...this.queues[resource]]) this.cancel(task, reason);
      const current = this.running[resource];
      if (current) this.cancel(current, reason);
    }
  }

  private supersede(resource: TaskResource, key: string, cancelRunning: boolean): void {
    for (const task of [...this.queues[resource]]) {
      if (task.options.supersedeKey === key) this.cancel(task, new SlmError('superseded', 'A newer request replaced this one.'));
    }
    const current = this.running[resource];
    if (cancelRunning && current?.options.supersedeKey === key) {
      this.cancel(current, new SlmError('superseded', 'A newer request replaced this one.'));
    }
  }

  private cancel(task: Task, reason: SlmError): void {
    const queue = this.queues[task.options.resource];
    const index = queue.indexOf(task);
    if (index >= 0) queue.splice(index, 1);
    task.detach();
    // A running task learns through its signal; it settles when its work has actually
    // stopped, so the model is free before the next task starts.
    task.controller.abort(reason);
    if (index >= 0) task.reject(reason);
  }

  private pump(resource: TaskResource): void {
    if (this.holds > 0 || this.running[resource]) return;
    const task = this.queues[resource].shift();
    if (!task) return;
    this.running[resource] = task;
    const { signal } = task.controller;
    Promise.resolve()
      .then(() => task.run(signal))
      .then(
        (value) => (signal.aborted ? task.reject(signal.reason) : task.resolve(value)),
        (error: unknown) => task.reject(signal.aborted ? signal.reason : error),
      )
      .finally(() => {
        task.detach();
        this.running[resource] = null;
        this.pump(resource);
      });
  }
}

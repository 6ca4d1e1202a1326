import { SlmError, isAbort, isModelLoss } from '../errors/slm-error.js';
import type { ModelBackend } from './backends/backend.js';
import { LoadProgressTracker } from './load-progress.js';
import { RecycleWatch, describeRecycle, type RecycleLimits, type RecycleReason, type WorkerMemoryReport, type WorkerRecycledDetail } from './worker-recycling.js';
import type { WorkerMemory } from './workers/memory-meter.js';
import type {
  ErrorDetail,
  LoadProgress,
  ModelDtype,
  ModelHostConfig,
  ModelKind,
  ModelPlacement,
  ModelRole,
  ModelState,
  ReadyDetail,
  StateChangeDetail,
} from './types.js';

/** The events a slot reports through its engine, by type. */
export interface SlotEventDetails {
  'slm-load-progress': LoadProgress;
  'slm-ready': ReadyDetail;
  'slm-error': ErrorDetail;
  'slm-state-change': StateChangeDetail;
  'slm-debug': WorkerRecycledDetail;
}

/** What a slot needs of its engine: where its model runs, a backend to load it into, and where to report. */
export interface SlotHost {
  place(slot: ModelSlot): Promise<ModelPlacement>;
  createBackend(slot: ModelSlot, placement: ModelPlacement): Promise<ModelBackend>;
  hostConfig(): ModelHostConfig;
  /** Whether a load may start on first use; under `load-policy="explicit"` only `load()` starts one. */
  implicitLoads(): boolean;
  /** When a speech model's worker is replaced between readings (the engine's `recycleLimits` over its defaults). */
  recycleLimits(): RecycleLimits;
  emit<K extends keyof SlotEventDetails>(type: K, detail: SlotEventDetails[K]): void;
}

/** What kind of model each role holds; it is also the scheduler resource the role's work queues on. */
export const KIND_OF_ROLE: Readonly<Record<ModelRole, ModelKind>> = { llm: 'llm', small: 'llm', asr: 'asr', preview: 'asr', embed: 'embed' };

const ROLE_NAMES: Readonly<Record<ModelRole, string>> = {
  llm: 'language model',
  small: 'small language model',
  asr: 'speech model',
  preview: 'preview speech model',
  embed: 'embedding model',
};

interface LoadedModel<B> {
  backend: B;
  placement: ModelPlacement;
}

/** A backend whose worker can say what it holds (see `AsrBackend.memory`). */
const metered = (backend: ModelBackend): backend is ModelBackend & { memory(): Promise<WorkerMemory> } =>
  typeof (backend as { memory?: unknown }).memory === 'function';

const idle = (): ModelState => ({ status: 'idle', modelId: null, placement: null, progress: null, error: null });

/**
 * One of the engine's models (`llm`, `small`, `asr`, `preview`, `embed`): its configuration,
 * its state, its one load shared by every caller, and the backend it is loaded into. Every
 * change of its state is one `slm-state-change` on the engine, with the slot's `role`.
 */
export class ModelSlot<B extends ModelBackend = ModelBackend> {
  readonly kind: ModelKind;
  private model: string | null = null;
  private weights: ModelDtype | null = null;
  private current: ModelState = idle();
  private loaded: LoadedModel<B> | null = null;
  private gpuLosses = 0;
  private pending: Promise<LoadedModel<B>> | null = null;
  private abort: AbortController | null = null;
  /** Speech slots only: their workers are replaced between readings when they grow (see worker-recycling.ts). */
  private readonly watch: RecycleWatch | null;
  /** The check after the last reading, and the recycle it may start; the next reading waits for it. */
  private between: Promise<void> | null = null;
  private inFlight = 0;
  private unchecked = false;

  constructor(
    readonly role: ModelRole,
    private readonly host: SlotHost,
  ) {
    this.kind = KIND_OF_ROLE[role];
    this.watch = this.kind === 'asr' ? new RecycleWatch() : null;
  }

  /** The configured model: a preset id or a full model id; null for none. */
  get modelId(): string | null {
    return this.model;
  }

  /** The weight format the configuration insists on; null lets the planner choose. */
  get dtype(): ModelDtype | null {
    return this.weights;
  }

  /** Whether a model is configured for this role. */
  get configured(): boolean {
    return this.model !== null;
  }

  get state(): Readonly<ModelState> {
    return this.current;
  }

  /**
   * A speech slot's worker: what it held after its load and after its latest reading, its
   * readings, and how many workers were replaced (`recycleLimits`); null for other roles.
   */
  get workerMemory(): Readonly<WorkerMemoryReport> | null {
    return this.watch?.current ?? null;
  }

  /**
   * Resolves once the memory check after the latest reading, and the recycle it may have
   * started, are done (readings wait for them by themselves).
   * @internal For tests and benchmarks.
   */
  async settled(): Promise<void> {
    while (this.between) await this.between;
  }

  /**
   * Sets the model and weight format. A loaded model whose configuration changed is unloaded;
   * it loads again on next use. Returns whether anything changed.
   * @internal The engine configures its slots: use `engine.configure()`.
   */
  configure(modelId: string | null, dtype: ModelDtype | null): boolean {
    if (modelId === this.model && dtype === this.weights) return false;
    this.model = modelId;
    this.weights = dtype;
    void this.unload();
    return true;
  }

  /**
   * Loads the model if it is not loaded yet (concurrent calls share one load); resolves to where it runs.
   * `explicit` marks a load the app asked for (`engine.load()`); any other is refused with
   * `load-not-allowed` while the engine's load policy is `explicit`. A load that starts here
   * waits for `after` (the slot shows `loading` meanwhile) before it fetches anything.
   */
  async load(explicit = false, after?: Promise<unknown>): Promise<ModelPlacement> {
    return (await this.acquire(explicit, after)).placement;
  }

  /**
   * Runs `work` on the loaded backend, loading it first if needed. Failures reach the
   * engine's listeners; a lost GPU or crashed worker leaves nothing usable, so the next call
   * loads afresh.
   * @internal The engine's way to the backend: callers outside it go through the engine.
   */
  async run<T>(work: (backend: B) => Promise<T>): Promise<T> {
    // A worker being replaced is ready before the next reading starts, so none is lost or run twice.
    await this.settled();
    const loaded = await this.acquire();
    const { backend, placement } = loaded;
    this.inFlight++;
    let done = false;
    try {
      const result = await work(backend);
      done = true;
      return result;
    } catch (error) {
      if (error instanceof SlmError && !isAbort(error)) {
        if (error.code === 'device-lost' && placement.backend === 'webgpu') this.gpuLosses++;
        this.emitError(error);
        // A model whose load turns out broken in use (a speech model's tokenizer is built after it is ready) is loaded afresh too.
        if (isModelLoss(error) || error.code === 'model-load-failed') void this.unload();
      }
      throw error;
    } finally {
      this.inFlight--;
      this.afterRun(loaded, done);
    }
  }

  /**
   * After a speech reading, once no other is running: asks the worker what it holds and, past
   * a limit, replaces it before the next reading starts.
   */
  private afterRun(loaded: LoadedModel<B>, done: boolean): void {
    if (!this.watch) return;
    if (done) this.unchecked = true;
    if (this.inFlight > 0 || !this.unchecked || this.loaded !== loaded) return;
    this.unchecked = false;
    // Whatever happens in it, the next reading goes ahead: a worker that cannot answer fails that reading itself.
    const check = this.check(loaded)
      .catch(() => undefined)
      .finally(() => {
        if (this.between === check) this.between = null;
      });
    this.between = check;
  }

  /**
   * What a speech worker holds with its model loaded: what the recycling counts growth from. Asked
   * behind the ready answer, as a check between readings is: a worker may still be building part of
   * its model (a Whisper's decoder on WASM, see deferred-sessions.ts) and answers once it has, and
   * readings wait for the answer. The worker answers in order, so a reading asked for at once is
   * measured against this baseline.
   */
  private measureBaseline(model: LoadedModel<B>): void {
    const watch = this.watch!;
    const before = this.between;
    // Asked now, before any reading can be sent.
    const asked = metered(model.backend) ? model.backend.memory().catch(() => null) : Promise.resolve(null);
    const measured: Promise<void> = (async () => {
      const memory = await asked;
      await before;
      if (this.loaded === model) watch.restart(memory, false);
    })().finally(() => {
      if (this.between === measured) this.between = null;
    });
    this.between = measured;
  }

  private async check(loaded: LoadedModel<B>): Promise<void> {
    const watch = this.watch!;
    const memory = metered(loaded.backend) ? await loaded.backend.memory().catch(() => null) : null;
    if (this.loaded !== loaded) return;
    const limits = this.host.recycleLimits();
    const reason = watch.afterReading(memory, limits);
    if (reason) await this.recycle(loaded, reason, describeRecycle(reason, watch.current, limits));
  }

  /**
   * A fresh worker with the same model from the cache, in place of one that grew. The old one
   * goes first, so its memory is free before the new one takes any. The slot stays `ready`
   * throughout: the next reading only waits. A fresh worker that fails to load leaves the slot
   * in `error`, as any failed load does, and the next use loads again.
   */
  private async recycle(loaded: LoadedModel<B>, reason: RecycleReason, why: string): Promise<void> {
    const started = performance.now();
    const before = { ...this.watch!.current };
    const abort = new AbortController();
    this.abort = abort;
    try {
      await loaded.backend.unload();
      const backend = (await this.host.createBackend(this, loaded.placement)) as B;
      await backend.load({ placement: loaded.placement, host: this.host.hostConfig(), signal: abort.signal, onProgress: () => undefined });
      if (abort.signal.aborted || this.loaded !== loaded) {
        void backend.unload();
        return;
      }
      this.loaded = { backend, placement: loaded.placement };
      const fresh = metered(backend) ? await backend.memory().catch(() => null) : null;
      this.watch!.restart(fresh, true);
      this.host.emit('slm-debug', {
        kind: 'worker-recycled',
        role: this.role,
        reason,
        message: `The ${ROLE_NAMES[this.role]}'s worker was replaced by a fresh one between readings. ${why}`,
        readings: before.readings,
        baseline: before.baseline,
        memory: before.latest,
        fresh,
        reloadMs: performance.now() - started,
      });
    } catch (caught) {
      // Cancelled by `unload()` (a new configuration): whoever cancelled owns the slot now.
      if (abort.signal.aborted || this.loaded !== loaded) return;
      this.loaded = null;
      const error = caught instanceof SlmError ? caught : new SlmError('model-load-failed', String(caught), { cause: caught });
      this.setState({ ...this.current, status: 'error', error });
      this.emitError(error);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /**
   * GPU devices lost under this slot's model in this session. The engine places the model on
   * WASM after `GPU_LOSSES_BEFORE_WASM` of them (with `device="auto"`): a GPU that keeps
   * failing would otherwise fail every answer.
   */
  get gpuLossCount(): number {
    return this.gpuLosses;
  }

  /**
   * A fault drill, like WebGL's `WEBGL_lose_context`: destroys the GPU device the loaded model
   * runs on, as a driver reset would. The next use fails with `device-lost`, and the model then
   * loads again. Resolves false where the runtime cannot (WASM, WebLLM, a server).
   * @internal For fault tests.
   */
  async loseDevice(): Promise<boolean> {
    const loaded = this.loaded;
    if (!loaded?.backend.loseDevice || loaded.placement.backend !== 'webgpu') return false;
    // The worker may report the loss before it answers the drill: either way the device is gone.
    await loaded.backend.loseDevice().catch((error: unknown) => {
      if (!(error instanceof SlmError && error.code === 'device-lost')) throw error;
    });
    return true;
  }

  /**
   * Cancels a load in progress and lets the backend go. Everything synchronous happens at
   * once, so a load started right after this call is never cancelled by the tail of it.
   */
  unload(): Promise<void> {
    this.abort?.abort();
    this.abort = null;
    this.pending = null;
    const model = this.loaded;
    this.loaded = null;
    if (this.current.status !== 'idle') this.setState(idle());
    return model ? model.backend.unload() : Promise.resolve();
  }

  private acquire(explicit = false, after?: Promise<unknown>): Promise<LoadedModel<B>> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (this.pending) return this.pending;
    // Refused before anything is placed or fetched: no request leaves the page for a load the app did not start.
    if (!explicit && this.model && !this.host.implicitLoads()) {
      return Promise.reject(
        new SlmError(
          'load-not-allowed',
          `The ${ROLE_NAMES[this.role]} (${this.model}) is not loaded, and the load policy is "explicit": only the app starts downloads. Call engine.load(['${this.role}']) (or the provider's load()) first.`,
          { modelId: this.model },
        ),
      );
    }
    const promise = this.loadModel(after).finally(() => {
      if (this.pending === promise) this.pending = null;
    });
    this.pending = promise;
    return promise;
  }

  private async loadModel(after?: Promise<unknown>): Promise<LoadedModel<B>> {
    const requested = this.model;
    const abort = new AbortController();
    this.abort = abort;
    this.setState({ ...idle(), status: 'loading', modelId: requested });
    const started = performance.now();
    try {
      if (!requested) throw new SlmError('not-loaded', `No ${ROLE_NAMES[this.role]} is configured.`);
      if (after) {
        await after.catch(() => undefined);
        if (abort.signal.aborted) throw new SlmError('aborted', 'Loading was cancelled.');
      }
      const placement = await this.host.place(this);
      const tracker = new LoadProgressTracker(this.kind, placement.modelId);
      const backend = (await this.host.createBackend(this, placement)) as B;
      // A load cancelled by `unload()` no longer speaks for the slot: a newer load may own it.
      const live = () => !abort.signal.aborted;
      if (live()) this.setState({ ...this.current, placement, progress: { ...tracker.snapshot(), role: this.role } });
      await backend.load({
        placement,
        host: this.host.hostConfig(),
        signal: abort.signal,
        onProgress: (raw) => {
          if (live()) this.progress(tracker.update(raw));
        },
      });
      if (abort.signal.aborted) throw new SlmError('aborted', 'Loading was cancelled.');
      const model = { backend, placement };
      this.loaded = model;
      if (this.watch) this.measureBaseline(model);
      this.progress(tracker.ready());
      this.setState({ ...this.current, status: 'ready', error: null });
      this.host.emit('slm-ready', { kind: this.kind, role: this.role, placement, loadMs: performance.now() - started });
      return model;
    } catch (caught) {
      const error = caught instanceof SlmError ? caught : new SlmError('model-load-failed', String(caught), { cause: caught });
      if (!abort.signal.aborted) {
        this.setState({ ...this.current, status: 'error', error });
        this.emitError(error);
      }
      throw error;
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  private setState(state: ModelState): void {
    this.current = state;
    this.host.emit('slm-state-change', { role: this.role, state });
  }

  private progress(raw: LoadProgress): void {
    const progress = { ...raw, role: this.role };
    this.setState({ ...this.current, progress });
    this.host.emit('slm-load-progress', progress);
  }

  private emitError(error: SlmError): void {
    this.host.emit('slm-error', { error, code: error.code, message: error.message, kind: this.kind, role: this.role });
  }
}

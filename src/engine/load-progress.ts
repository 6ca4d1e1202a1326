import type { BackendProgress } from './backends/backend.js';
import type { FileProgress, LoadPhase, LoadProgress, ModelKind } from './types.js';

/**
 * Folds the runtime's per-file and per-phase reports into one `LoadProgress`: total bytes,
 * a fraction over the whole load, and an ETA from the download rate so far.
 */
export class LoadProgressTracker {
  private readonly files = new Map<string, FileProgress>();
  private phase: LoadPhase = 'download';
  private phaseFraction: number | null = null;
  private text: string | undefined;
  /** Files whose request waits to be tried again, the latest last: each until its own bytes flow. */
  private readonly retrying = new Map<string, { attempt: number; of: number }>();
  /** The highest fraction reported so far: a progress bar never moves backwards. */
  private reached = 0;
  private readonly startedAt: number;

  constructor(
    private readonly kind: ModelKind,
    private readonly modelId: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  update(progress: BackendProgress): LoadProgress {
    if (progress.type === 'retry') {
      this.retrying.delete(progress.file);
      this.retrying.set(progress.file, { attempt: progress.attempt, of: progress.of });
    } else if (progress.type === 'files') {
      for (const f of progress.files) {
        const previous = this.files.get(f.file);
        this.files.set(f.file, {
          file: f.file,
          loadedBytes: Math.max(f.loadedBytes, previous?.loadedBytes ?? 0),
          totalBytes: f.totalBytes || previous?.totalBytes || 0,
          done: previous?.done ?? false,
        });
      }
    } else if (progress.type === 'file') {
      const previous = this.files.get(progress.file);
      // This file's bytes again: its retry got through. Another file's bytes say nothing of it.
      if (progress.done || progress.loadedBytes > (previous?.loadedBytes ?? 0)) this.retrying.delete(progress.file);
      this.files.set(progress.file, {
        file: progress.file,
        loadedBytes: Math.max(progress.loadedBytes, previous?.loadedBytes ?? 0),
        totalBytes: progress.totalBytes || previous?.totalBytes || 0,
        done: progress.done || (previous?.done ?? false),
      });
      // Once every expected file is in (weights among them), the runtime builds its inference
      // session; a small file that trickles in later does not send the load back to "downloading".
      const all = [...this.files.values()];
      const complete = (f: FileProgress) => f.done || (f.totalBytes > 0 && f.loadedBytes >= f.totalBytes);
      if (this.phase === 'download' && all.every(complete) && all.some((f) => /\.(onnx|wasm|bin)$/.test(f.file))) this.phase = 'compile';
    } else if (phaseOrder[progress.phase] >= phaseOrder[this.phase]) {
      // A runtime that reports only phases (WebLLM) reports once bytes have moved again.
      this.retrying.clear();
      this.phase = progress.phase;
      this.phaseFraction = progress.fraction ?? null;
      this.text = progress.text;
    }
    return this.snapshot();
  }

  ready(): LoadProgress {
    this.retrying.clear();
    this.phase = 'ready';
    this.phaseFraction = 1;
    return this.snapshot();
  }

  snapshot(): LoadProgress {
    const files = [...this.files.values()].map((f) => ({ ...f, loadedBytes: f.done && f.totalBytes ? f.totalBytes : f.loadedBytes }));
    const loadedBytes = files.reduce((sum, f) => sum + f.loadedBytes, 0);
    const totalBytes = files.reduce((sum, f) => sum + f.totalBytes, 0);
    const retried = [...this.retrying].at(-1);
    return {
      kind: this.kind,
      modelId: this.modelId,
      phase: this.phase,
      files,
      loadedBytes,
      totalBytes,
      fraction: (this.reached = Math.max(this.reached, this.fraction(loadedBytes, totalBytes))),
      etaSeconds: this.eta(loadedBytes, totalBytes),
      ...(this.text === undefined ? {} : { text: this.text }),
      ...(retried ? { retrying: { file: retried[0], ...retried[1] } } : {}),
    };
  }

  private fraction(loaded: number, total: number): number {
    if (this.phase === 'ready') return 1;
    // Runtimes that report only phases (WebLLM) give their own fraction.
    if (this.phaseFraction !== null && this.files.size === 0) return clamp(this.phaseFraction);
    // Downloading is most of a load; compiling and warming up share the last 10 %.
    const download = total > 0 ? loaded / total : 0;
    if (this.phase === 'download') return clamp(download * 0.9);
    return this.phase === 'compile' ? 0.9 : 0.95;
  }

  private eta(loaded: number, total: number): number | null {
    if (this.phase !== 'download' || total === 0 || loaded === 0) return null;
    const seconds = (this.now() - this.startedAt) / 1000;
    // The first bytes are a config file after the worker's start-up: a rate from them read
    // "19 min left" for a 0.7 MB model that took a second. Wait for a measurable stretch.
    if (seconds < 1 || loaded / total < 0.01) return null;
    const rate = loaded / seconds;
    return rate > 0 ? Math.max(0, (total - loaded) / rate) : null;
  }
}

const phaseOrder: Record<LoadPhase, number> = { download: 0, compile: 1, warmup: 2, ready: 3 };

const clamp = (value: number) => Math.min(1, Math.max(0, value));

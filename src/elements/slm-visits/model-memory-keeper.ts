import type { SlmEngine } from '../../engine/slm-engine.js';
import type { PrefixRecord } from '../../engine/workers/prefix-record.js';
import type { VisitSession } from '../../session/visit-session.js';
import type { VisitStore } from '../../visits/visit-store.js';

/** Quiet after an answer before the model's memory is copied out: a follow-up may come at once. */
const SAVE_AFTER_MS = 1_500;

/**
 * Keeps the language model's memory of each visit (its key/value cache of the chat's prompt)
 * with the visit, sealed like the rest of it, so the first question after a reload does not
 * make the model read the whole visit again.
 *
 * Saved after each finished answer of the main model; given back to the model when a stored
 * visit is opened, once the model is loaded (never loading it for this). A cleared chat or a
 * deleted visit takes its memory with it. Everything here is a shortcut: any failure only
 * means the model reads the visit again.
 */
export class ModelMemoryKeeper {
  private readonly unsubscribe: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A stored memory waiting for the model to be loaded, for this visit. */
  private waiting: string | null = null;

  constructor(
    private readonly session: VisitSession,
    private readonly store: VisitStore,
    private readonly engine: SlmEngine,
  ) {
    this.unsubscribe.push(
      session.on('slm-session-chat', ({ detail }) => {
        // An emptied chat, not a visit being put back or started (those announce their chat too).
        if (detail.message === null && detail.messages.length === 0 && !session.restoring) {
          void this.store.deleteModelMemory(detail.visitId).catch(() => undefined);
        } else if (detail.message?.role === 'assistant' && detail.message.status === 'done' && detail.message.answeredBy === 'main') {
          this.scheduleSave(detail.visitId);
        }
      }),
      session.on('slm-session-visit', ({ detail }) => {
        this.waiting = detail.reason === 'open' ? detail.visitId : null;
        void this.restore();
      }),
    );
    const onState = (event: Event) => {
      const { role } = (event as CustomEvent<{ role: string }>).detail;
      if (role === 'llm') void this.restore();
    };
    engine.addEventListener('slm-state-change', onState);
    this.unsubscribe.push(() => engine.removeEventListener('slm-state-change', onState));
    // The page may have come back on a stored visit before this keeper started.
    if (!session.isEmpty) {
      this.waiting = session.id;
      void this.restore();
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private scheduleSave(visitId: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(visitId), SAVE_AFTER_MS);
  }

  private async save(visitId: string): Promise<void> {
    try {
      const record = await this.engine.exportPrefix({ cacheKey: visitId });
      if (record) await this.store.putModelMemory(visitId, record);
    } catch {
      // A memory that could not be kept costs one full read of the visit later, nothing else.
    }
  }

  private async restore(): Promise<void> {
    const visitId = this.waiting;
    if (!visitId || this.engine.state('llm').status !== 'ready') return;
    this.waiting = null;
    try {
      const memory = await this.store.getModelMemory(visitId);
      if (memory && this.session.id === visitId) await this.engine.importPrefix(memory as PrefixRecord, { cacheKey: visitId });
    } catch {
      // Refusals are reported by the engine (`slm-debug`); the next answer reads the visit in full.
    }
  }
}

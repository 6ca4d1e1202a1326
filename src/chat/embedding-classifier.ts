import type { ModelHostConfig } from '../engine/types.js';
import { SlmError } from '../errors/slm-error.js';
import type { Intent, IntentClassifier } from './chat-types.js';
import { RuleIntentClassifier } from './rule-classifier.js';
import type { EmbeddingReply, EmbeddingRequest } from './workers/embedding.worker.js';

/** A small sentence embedder (about 23 MB quantised) that routes well in English. */
export const DEFAULT_ROUTER_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** What each route looks like: the classifier compares a message with these. */
export const ROUTE_EXAMPLES: Record<'simple' | 'reasoning', string[]> = {
  simple: [
    'What dose did I say?',
    'When did the pain start?',
    'What was the blood pressure?',
    'How old is the patient?',
    'Did she mention allergies?',
    'List the medications.',
    'Define tachycardia.',
    'What is HbA1c?',
    'Thanks',
    'Spell the drug name.',
  ],
  reasoning: [
    'Why would this drug cause a cough?',
    'What is the differential diagnosis?',
    'Should I increase the dose or add another drug?',
    'Compare these two treatments for this patient.',
    'Explain the plan in simple words.',
    'Are there interactions between these medications?',
    'What are the risks of starting steroids in a diabetic?',
    'Summarise the visit for a referral letter.',
    'Which antibiotic is better given her allergy?',
    'Help me decide between an x-ray and an ultrasound.',
  ],
};

export interface EmbeddingClassifierOptions {
  /** A Transformers.js feature-extraction model id on the host. */
  model?: string;
  host: ModelHostConfig;
  examples?: Record<'simple' | 'reasoning', string[]>;
  /** Used for commands, and for everything while the model cannot load. Default: rules. */
  fallback?: IntentClassifier;
  /** Told once when the model cannot load; classification goes on with the fallback. */
  onError?: (error: SlmError) => void;
}

/**
 * Routes a message by meaning: the labelled example it is closest to (cosine similarity of
 * sentence embeddings) decides between the small and the big model. Commands are left to
 * the rules, which also take over if the embedding model cannot be loaded.
 */
export class EmbeddingIntentClassifier implements IntentClassifier {
  private worker: Worker | null = null;
  private ready: Promise<Array<{ route: 'simple' | 'reasoning'; vector: Float32Array }>> | null = null;
  private failed = false;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();
  private readonly fallback: IntentClassifier;

  constructor(private readonly options: EmbeddingClassifierOptions) {
    this.fallback = options.fallback ?? new RuleIntentClassifier();
  }

  get model(): string {
    return this.options.model ?? DEFAULT_ROUTER_MODEL;
  }

  /** Which classifier answered the last message: `embedding` or `fallback`. */
  lastSource: 'embedding' | 'fallback' = 'fallback';

  async classify(message: string): Promise<Intent> {
    const ruled = await this.fallback.classify(message);
    if (ruled.kind === 'command' || this.failed) {
      this.lastSource = 'fallback';
      return ruled;
    }
    try {
      const examples = await this.load();
      const [vector] = await this.embed([message]);
      let best = examples[0];
      let bestScore = -Infinity;
      for (const example of examples) {
        const score = dot(vector, example.vector);
        if (score > bestScore) [best, bestScore] = [example, score];
      }
      this.lastSource = 'embedding';
      return { kind: best.route };
    } catch (error) {
      this.failed = true;
      this.options.onError?.(error instanceof SlmError ? error : new SlmError('model-load-failed', `The router model could not run, so messages are routed by rules: ${String(error)}`));
      this.lastSource = 'fallback';
      return ruled;
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private load() {
    this.ready ??= (async () => {
      const worker = new Worker(new URL('./workers/embedding.worker.js', import.meta.url), { type: 'module', name: 'slm-router' });
      this.worker = worker;
      const model = this.model;
      const loaded = new Promise<void>((resolve, reject) => {
        worker.addEventListener('message', (event: MessageEvent<EmbeddingReply>) => {
          const data = event.data;
          if (data.type === 'loaded') resolve();
          else if (data.type === 'failed' && data.id === undefined) reject(new SlmError('model-load-failed', `The router model ${model} could not load (${data.message}); messages are routed by rules.`, { modelId: model }));
          else if (data.type === 'embedded') this.waiting.get(data.id)?.resolve(data.vectors);
          else if (data.type === 'failed' && data.id !== undefined) this.waiting.get(data.id)?.reject(new Error(data.message));
        });
        worker.addEventListener('error', (event) => reject(new SlmError('worker-crashed', `The router's worker stopped: ${event.message}`)));
      });
      this.post({ type: 'load', model, host: this.options.host });
      await loaded;
      const examples = this.options.examples ?? ROUTE_EXAMPLES;
      const routes = (['simple', 'reasoning'] as const).flatMap((route) => examples[route].map((text) => ({ route, text })));
      const vectors = await this.embed(routes.map((r) => r.text));
      return routes.map((r, i) => ({ route: r.route, vector: vectors[i] }));
    })();
    return this.ready;
  }

  private embed(texts: string[]): Promise<Float32Array[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (v) => (this.waiting.delete(id), resolve(v)),
        reject: (e) => (this.waiting.delete(id), reject(e)),
      });
      this.post({ type: 'embed', id, texts });
    });
  }

  private post(message: EmbeddingRequest): void {
    this.worker?.postMessage(message);
  }
}

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
};

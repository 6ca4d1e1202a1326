import type { SlmEngine } from '../engine/slm-engine.js';
import { SlmError, isAbort } from '../errors/slm-error.js';
import type { Intent, IntentClassifier } from './chat-types.js';
import { RuleIntentClassifier } from './rule-classifier.js';

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
  /** The engine whose `embed` model turns messages into vectors (in `<slm-chat>`, the provider's). */
  engine: SlmEngine;
  /**
   * A Transformers.js feature-extraction model id on the engine's model host; it becomes the
   * engine's `embed` model. Default: the engine's `embed` model, else `DEFAULT_ROUTER_MODEL`.
   */
  model?: string;
  examples?: Record<'simple' | 'reasoning', string[]>;
  /** Used for commands, and for everything while the model cannot load. Default: rules. */
  fallback?: IntentClassifier;
  /** Told once when the model cannot load; classification goes on with the fallback. */
  onError?: (error: SlmError) => void;
}

type Example = { route: 'simple' | 'reasoning'; vector: Float32Array };

/**
 * Routes a message by meaning: the labelled example it is closest to (cosine similarity of
 * sentence embeddings from the engine's `embed` model) decides between the small and the big
 * model. Commands are left to the rules, which also take over if the embedding model cannot
 * be loaded.
 */
export class EmbeddingIntentClassifier implements IntentClassifier {
  readonly engine: SlmEngine;
  /** The examples' vectors, made by the model named in `embeddedWith`. */
  private ready: Promise<Example[]> | null = null;
  private embeddedWith: string | null = null;
  private failed = false;
  private toldNotAllowed = false;
  private readonly fallback: IntentClassifier;

  constructor(private readonly options: EmbeddingClassifierOptions) {
    this.engine = options.engine;
    this.fallback = options.fallback ?? new RuleIntentClassifier();
  }

  get model(): string {
    return this.options.model ?? this.engine.options.embed ?? DEFAULT_ROUTER_MODEL;
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
      const examples = await this.examples();
      const [vector] = await this.engine.embed([message]);
      let best = examples[0];
      let bestScore = -Infinity;
      for (const example of examples) {
        const score = dot(vector, example.vector);
        if (score > bestScore) [best, bestScore] = [example, score];
      }
      this.lastSource = 'embedding';
      return { kind: best.route };
    } catch (error) {
      // Cancelled (the engine was reconfigured or shut down): this message goes by rules, the next tries again.
      if (isAbort(error)) {
        this.ready = null;
      } else if (error instanceof SlmError && error.code === 'load-not-allowed') {
        // The app has not loaded the router (load-policy="explicit"): rules until it does, and nothing fetched.
        this.ready = null;
        if (!this.toldNotAllowed) this.options.onError?.(new SlmError('load-not-allowed', `The router model ${this.model} is not loaded, so messages are routed by rules until the app loads it: ${error.message}`, { cause: error, modelId: this.model }));
        this.toldNotAllowed = true;
      } else {
        this.failed = true;
        const cause = SlmError.from(error, 'model-load-failed');
        this.options.onError?.(new SlmError(cause.code, `The router model ${this.model} could not run, so messages are routed by rules: ${cause.message}`, { cause, modelId: this.model }));
      }
      this.lastSource = 'fallback';
      return ruled;
    }
  }

  /** Forgets the examples' vectors. The model is the engine's: `engine.unload('embed')` lets it go. */
  dispose(): void {
    this.ready = null;
    this.embeddedWith = null;
  }

  /** The labelled examples as vectors, made once per model; the engine's `embed` model is set to ours first. */
  private examples(): Promise<Example[]> {
    const model = this.model;
    if (this.engine.options.embed !== model) this.engine.configure({ embed: model });
    if (this.embeddedWith !== model) this.ready = null;
    this.embeddedWith = model;
    this.ready ??= (async () => {
      const examples = this.options.examples ?? ROUTE_EXAMPLES;
      const routes = (['simple', 'reasoning'] as const).flatMap((route) => examples[route].map((text) => ({ route, text })));
      const vectors = await this.engine.embed(routes.map((r) => r.text));
      return routes.map((r, i) => ({ route: r.route, vector: vectors[i] }));
    })();
    return this.ready;
  }
}

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
};

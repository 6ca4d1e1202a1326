type Ort = typeof import('onnxruntime-web/webgpu');
type Session = import('onnxruntime-web/webgpu').InferenceSession;
type Create = (model: unknown, options?: unknown) => Promise<Session>;

/**
 * Sessions whose build waits until after the load: Transformers.js is handed a stand-in at once,
 * and the real session is built when `build()` is called (the worker calls it as soon as the
 * model's ready answer is out). A speech model's decoder is the case: onnxruntime builds a
 * session on the calling thread, Transformers.js builds a model's sessions one after the other,
 * and a warm reload of a Whisper on WASM spent 0.4–0.7 s of its about 1.1 s building the
 * decoder, which no reading needs before the encoder has read an utterance.
 *
 * Transformers.js has no hook for where a session is made, so `InferenceSession.create` of the
 * onnxruntime build it imports is wrapped for the load (`restore` ends that). Whatever is asked
 * of a stand-in before its session is built (its input names, a run) throws: the worker awaits
 * `build()` before any use of the model, so nothing ever does.
 */
export class DeferredSessions {
  private readonly waiting: Array<() => Promise<void>> = [];
  private building: Promise<void> | null = null;
  private restoreCreate: (() => void) | null;

  /** Wraps the session factory; `defer` picks the models (by their bytes) whose build waits. */
  constructor(ort: Ort, defer: (bytes: Uint8Array) => boolean) {
    const factory = ort.InferenceSession as unknown as { create: Create };
    const create = factory.create;
    factory.create = (model: unknown, options?: unknown) => {
      // External data is read by the runtime during the build; such a model is built at once.
      const external = (options as { externalData?: unknown } | undefined)?.externalData;
      if (!(model instanceof Uint8Array) || external || !defer(model)) return create.call(factory, model, options);
      const { stand, build } = standIn(() => create.call(factory, model, options));
      this.waiting.push(build);
      return Promise.resolve(stand);
    };
    this.restoreCreate = () => (factory.create = create);
  }

  /** How many sessions wait to be built. */
  get deferred(): number {
    return this.waiting.length;
  }

  /** Ends the wrapping: sessions made from now on are built at once. */
  restore(): void {
    this.restoreCreate?.();
    this.restoreCreate = null;
  }

  /** Builds the waiting sessions, one after the other, once; every call gets the same outcome. */
  build(): Promise<void> {
    this.building ??= this.waiting.reduce((before, next) => before.then(next), Promise.resolve());
    return this.building;
  }
}

/**
 * A stand-in for a session not built yet, and the function that builds it. Once built, the
 * stand-in is the session for every purpose (its names, metadata, runs, release); properties
 * Transformers.js sets on it (`config`) stay on the stand-in, where the library reads them.
 * Released before its build, it is never built.
 */
function standIn(create: () => Promise<Session>): { stand: Session; build: () => Promise<void> } {
  let session: Session | null = null;
  let released = false;
  const own: Record<PropertyKey, unknown> = {
    release: async () => {
      released = true;
      await session?.release();
    },
  };
  const stand = new Proxy(own, {
    get(_, key) {
      if (key in own) return own[key];
      if (session) {
        const value = Reflect.get(session, key, session) as unknown;
        return typeof value === 'function' ? value.bind(session) : value;
      }
      // Not a promise: `await` and `Promise.resolve` look for a `then`.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      throw new Error(`A model session was used (${String(key)}) before it was built.`);
    },
    set(_, key, value) {
      own[key] = value;
      return true;
    },
    has(_, key) {
      return key in own || (session !== null && key in session);
    },
  }) as unknown as Session;
  const build = async () => {
    if (released) return;
    const built = await create();
    if (released) await built.release();
    else session = built;
  };
  return { stand, build };
}

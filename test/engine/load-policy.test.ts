import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/slm-provider/slm-provider.js';
import type { SlmProvider } from '../../src/elements/slm-provider/slm-provider.js';
import { EmbeddingIntentClassifier } from '../../src/chat/embedding-classifier.js';
import { SlmEngine } from '../../src/engine/slm-engine.js';
import { SlmError } from '../../src/errors/slm-error.js';
import { modelHostRequests, modelHostUrl, resetModelHost } from '../support/model-host.js';
import { recordFault } from '../support/faults.js';

const EMBEDDER = 'slm-test/embedder-tiny-random';

/** The rejection of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<SlmError> {
  try {
    await promise;
  } catch (error) {
    return error as SlmError;
  }
  throw new Error('expected a rejection');
}

/**
 * `loadPolicy: 'explicit'` (`load-policy="explicit"`): only `load()` starts a model load. The
 * engines here use the real Transformers.js backend on the test model host, so "nothing
 * loaded" is checked where it matters: the host's request log.
 */
describe('load policy', () => {
  let host: string;
  before(async () => {
    host = await modelHostUrl();
  });
  beforeEach(() => resetModelHost());

  it('refuses a load the app did not start, with load-not-allowed, and fetches nothing', async () => {
    const engine = new SlmEngine({ asr: 'test-asr', embed: EMBEDDER, modelHost: host, useBrowserCache: false, loadPolicy: 'explicit' });
    try {
      const transcribing = await rejection(engine.transcribe(new Float32Array(1600)));
      expect(transcribing).to.be.instanceOf(SlmError);
      expect(transcribing.code).to.equal('load-not-allowed');
      expect(transcribing.message).to.match(/engine\.load\(\['asr'\]\)/);
      expect((await rejection(engine.embed(['a']))).code).to.equal('load-not-allowed');
      expect((await rejection(engine.ensureLoaded('asr'))).code).to.equal('load-not-allowed');
      expect(engine.state('asr').status).to.equal('idle');
      expect(await modelHostRequests()).to.deep.equal([]);
      await recordFault('a model load the app did not start (load-policy="explicit")', 'load-not-allowed', { code: transcribing.code, lost: null });
    } finally {
      await engine.dispose();
    }
  });

  it('waits for a load the app started instead of refusing it, and fetches the model then', async function () {
    // A real model load: generous for a loaded machine, as the other model-host tests.
    this.timeout(240_000);
    const engine = new SlmEngine({ embed: EMBEDDER, modelHost: host, useBrowserCache: false, loadPolicy: 'explicit' });
    try {
      const loading = engine.load(['embed']);
      const [vector] = await engine.embed(['started by the app']);
      await loading;
      expect(vector.length).to.be.greaterThan(0);
      expect((await modelHostRequests()).some((r) => r.path.includes(EMBEDDER))).to.equal(true);
    } finally {
      await engine.dispose();
    }
  });

  it('lets the chat router fall back to the rules, and says so once, without a request', async function () {
    this.timeout(240_000);
    const errors: SlmError[] = [];
    const engine = new SlmEngine({ modelHost: host, useBrowserCache: false, loadPolicy: 'explicit' });
    const classifier = new EmbeddingIntentClassifier({ engine, model: EMBEDDER, onError: (e) => errors.push(e) });
    try {
      expect(await classifier.classify('Why would lisinopril cause a cough?')).to.deep.equal({ kind: 'reasoning' });
      expect(await classifier.classify('What was her temperature?')).to.deep.equal({ kind: 'simple' });
      expect(classifier.lastSource).to.equal('fallback');
      expect(errors.map((e) => e.code)).to.deep.equal(['load-not-allowed']);
      expect(await modelHostRequests()).to.deep.equal([]);

      // Once the app loads the router, messages go by meaning.
      await engine.load(['embed']);
      await classifier.classify('What was her temperature?');
      expect(classifier.lastSource).to.equal('embedding');
    } finally {
      classifier.dispose();
      await engine.dispose();
    }
  });

  it('is the provider attribute load-policy, and the provider load() then loads every configured model', async () => {
    const provider = await fixture<SlmProvider>(html`<slm-provider load-policy="explicit" hide-status small-llm="test-llm"></slm-provider>`);
    try {
      expect(provider.engine.options.loadPolicy).to.equal('explicit');
      provider.modelHost = host;
      provider.asr = 'test-asr';
      await provider.updateComplete;
      expect((await rejection(provider.engine.generate([{ role: 'user', content: 'hi' }], { model: 'small' }))).code).to.equal('load-not-allowed');
      expect(await modelHostRequests()).to.deep.equal([]);
      // Nothing else will load the small model or the router: the provider's load() names every role.
      const asked: unknown[] = [];
      provider.engine.load = async (roles) => void asked.push(roles);
      await provider.load();
      expect(asked).to.deep.equal([['llm', 'small', 'asr', 'preview', 'embed']]);
    } finally {
      await provider.engine.dispose();
    }
  });
});

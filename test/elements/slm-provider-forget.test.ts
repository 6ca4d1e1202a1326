import { expect, html } from '@open-wc/testing';
import { render } from 'lit';
import '../../src/elements/slm-provider/slm-provider.js';
import '../../src/elements/slm-transcriber/slm-transcriber.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { SlmProvider, ModelsForgottenDetail } from '../../src/elements/slm-provider/slm-provider.js';
import { MODEL_CACHE_NAMES, MODEL_STATE_CACHE_NAMES } from '../../src/engine/model-cache.js';
import { nextEvent } from '../support/events.js';
import { expectForgetRefused } from '../support/forget.js';
import { modelHostRequests, modelHostUrl, resetModelHost, TEST_ASR } from '../support/model-host.js';
import { rawVisitRows, settled, uniqueDbName } from '../support/visits-page.js';

/** Every Cache Storage name the library keeps models, or anything about them, under. */
const MODEL_STORES: readonly string[] = [...MODEL_CACHE_NAMES, ...MODEL_STATE_CACHE_NAMES];
const modelStores = async () => (await caches.keys()).filter((name) => MODEL_STORES.includes(name));
const jfk = async () => new File([await (await fetch('/test/fixtures/audio/jfk.wav')).arrayBuffer()], 'jfk.wav', { type: 'audio/wav' });

describe('<slm-provider> forgetModels()', function () {
  this.timeout(180_000);
  let container: HTMLElement;
  let provider: SlmProvider;
  let dbName: string;

  beforeEach(async () => {
    dbName = uniqueDbName('forget');
    container = document.createElement('div');
    render(html`<slm-provider asr=${TEST_ASR} model-host=${await modelHostUrl()}><slm-visits db-name=${dbName}></slm-visits><slm-transcriber></slm-transcriber></slm-provider>`, container);
    document.body.append(container);
    provider = container.querySelector('slm-provider')!;
    await provider.querySelector('slm-visits')!.ready;
    await provider.load(['asr']);
  });

  afterEach(async () => {
    await provider.querySelector('slm-transcriber')!.stop();
    await provider.engine.dispose();
    container.remove();
    indexedDB.deleteDatabase(dbName);
    await resetModelHost();
  });

  it('unloads the models, deletes their files, reports the bytes freed, and the next load downloads them anew', async () => {
    const kept = await provider.engine.cache.list();
    expect(kept.map((m) => m.modelId).join()).to.contain('random');
    expect(await modelStores()).to.include('transformers-cache');
    const announced = nextEvent<CustomEvent<ModelsForgottenDetail>>(provider, 'slm-models-forgotten');

    const forgotten = await provider.forgetModels();

    expect(forgotten.freedBytes).to.be.greaterThan(0);
    expect(forgotten.freedBytes).to.equal(kept.reduce((sum, m) => sum + m.bytes, 0));
    expect(forgotten.models).to.deep.equal(kept.map((m) => m.modelId));
    expect((await announced).detail).to.deep.equal(forgotten);
    expect(provider.engine.state('asr').status).to.equal('idle');
    expect(await modelStores()).to.deep.equal([]);
    expect(await provider.engine.cache.list()).to.deep.equal([]);

    await resetModelHost();
    await provider.load(['asr']);
    expect(provider.engine.state('asr').status).to.equal('ready');
    const fetched = (await modelHostRequests()).filter((r) => r.method === 'GET').map((r) => r.path);
    expect(fetched.some((path) => path.endsWith('.onnx')), fetched.join('\n')).to.equal(true);
  });

  it('leaves the stored visits as they were, byte for byte', async () => {
    const visits = provider.querySelector('slm-visits')!;
    provider.session.transcript.upsert({ id: 's1', text: 'Knee pain for two weeks.', start: 0, end: 2, final: true });
    await settled(visits);
    const visitId = provider.session.id;
    const stored = await rawVisitRows(dbName, visitId);
    expect(stored).to.contain(visitId);

    await provider.forgetModels();

    expect(await rawVisitRows(dbName, visitId)).to.equal(stored);
    const visit = await visits.visitStore!.get(visitId);
    expect(visit!.segments.map((s) => s.text)).to.deep.equal(['Knee pain for two weeks.']);
  });

  it('refuses while audio is being transcribed, with recording-in-progress, and keeps the models', async () => {
    const transcriber = provider.querySelector('slm-transcriber')!;
    const reading = transcriber.transcribeFile(await jfk());
    try {
      expect(transcriber.state).to.equal('file');
      await expectForgetRefused(provider);
      expect(await modelStores()).to.include('transformers-cache');
    } finally {
      await transcriber.stop();
      await reading;
    }
    // Once the reading is over, the same call goes through.
    expect((await provider.forgetModels()).freedBytes).to.be.greaterThan(0);
  });

  it('holds a load asked for while the files are deleted until they are gone, then downloads the model afresh', async () => {
    // The deletion waits on a gate here, so the load is asked for while it is certainly under way.
    const cache = provider.engine.cache;
    const clear = cache.clear.bind(cache);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let clearing!: () => void;
    const clearStarted = new Promise<void>((resolve) => (clearing = resolve));
    cache.clear = async () => {
      clearing();
      await gate;
      await clear();
    };
    try {
      const forgetting = provider.forgetModels();
      await clearStarted;
      await resetModelHost();
      const loading = provider.load(['asr']);
      const reading = provider.engine.transcribe(new Float32Array(16_000), { priority: 'interactive' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(provider.engine.state('asr').status, 'no load while the files are deleted').to.equal('idle');
      expect((await modelHostRequests()).filter((r) => r.method === 'GET'), 'nothing downloaded meanwhile').to.deep.equal([]);
      open();
      await forgetting;
      await loading;
      await reading;
      expect(provider.engine.state('asr').status).to.equal('ready');
      // Downloaded after the deletion, so kept: the next reload finds it cached.
      expect((await provider.engine.cache.list()).map((m) => m.modelId).join()).to.contain('random');
      expect((await modelHostRequests()).some((r) => r.method === 'GET' && r.path.endsWith('.onnx'))).to.equal(true);
    } finally {
      open();
      cache.clear = clear;
    }
  });
});

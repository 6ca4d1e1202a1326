import { expect } from '@open-wc/testing';
import { ModelMemoryKeeper } from '../../src/elements/slm-visits/model-memory-keeper.js';
import type { SlmEngine } from '../../src/engine/slm-engine.js';
import type { PrefixImport } from '../../src/engine/workers/protocol.js';
import type { PrefixRecord } from '../../src/engine/workers/prefix-record.js';
import { VisitSession } from '../../src/session/visit-session.js';
import { visitDatabases } from './visit-fixtures.js';

/**
 * The engine's side of the model's memory, as `SlmEngine` offers it: a cache per key that the
 * last answer left, exported and imported as records, and the LLM slot's state.
 */
class MemoryEngine extends EventTarget {
  status: 'idle' | 'ready' = 'ready';
  readonly exported: string[] = [];
  readonly imported: Array<{ key: string; tokens: number }> = [];
  state() {
    return { status: this.status };
  }
  exportPrefix({ cacheKey = '' }: { cacheKey?: string } = {}): Promise<PrefixRecord | null> {
    this.exported.push(cacheKey);
    return Promise.resolve({
      header: { format: 1, modelId: 'm', revision: 'r', dtype: 'fp32', idsHash: cacheKey, tokens: 3, tensors: [] },
      ids: Int32Array.from([1, 2, 3]),
      data: new ArrayBuffer(8),
    });
  }
  importPrefix(record: PrefixRecord, { cacheKey = '' }: { cacheKey?: string } = {}): Promise<PrefixImport> {
    this.imported.push({ key: cacheKey, tokens: record.header.tokens });
    // The memory carries the key it was saved under: it must come back under the same one.
    expect(record.header.idsHash).to.equal(cacheKey);
    return Promise.resolve({ accepted: true, tokens: record.header.tokens });
  }
  becomeReady() {
    this.status = 'ready';
    this.dispatchEvent(new CustomEvent('slm-state-change', { detail: { role: 'llm', state: { status: 'ready' } } }));
  }
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(check(), what).to.equal(true);
};

describe('ModelMemoryKeeper: the model’s memory kept with its visit', function () {
  this.timeout(30_000);
  const databases = visitDatabases();
  const keepers: ModelMemoryKeeper[] = [];
  afterEach(async () => {
    for (const keeper of keepers.splice(0)) keeper.close();
    await databases.cleanUp();
  });

  async function setUp() {
    const session = new VisitSession();
    const store = await databases.open({ name: databases.name('keeper') });
    await store.create({ id: session.id });
    const engine = new MemoryEngine();
    const keeper = new ModelMemoryKeeper(session, store, engine as unknown as SlmEngine);
    keepers.push(keeper);
    return { session, store, engine };
  }

  const answer = (id: string, answeredBy: 'main' | 'small' | 'app' = 'main') => ({ id, role: 'assistant' as const, content: 'Ten mg.', createdAt: 1, status: 'done' as const, answeredBy });

  it('keeps the memory after the main model’s finished answer, under the visit it belongs to', async () => {
    const { session, store, engine } = await setUp();
    session.putChat({ id: 'q', role: 'user', content: 'Dose?', createdAt: 0 });
    session.putChat({ ...answer('a1'), status: 'streaming' });
    session.putChat(answer('a2', 'app'));
    session.putChat(answer('a3'));
    await until(() => engine.exported.length > 0, 'exported');
    expect(engine.exported).to.deep.equal([session.id]);
    let stored: unknown;
    await until(() => (void store.getModelMemory(session.id).then((m) => (stored = m)), stored !== undefined), 'stored');
  });

  it('gives a stored visit’s memory back when the visit is opened, only once the model is loaded', async () => {
    const { session, store, engine } = await setUp();
    await store.putModelMemory(session.id, await engine.exportPrefix({ cacheKey: session.id }).then((r) => r!));
    const visitId = session.id;
    engine.status = 'idle';
    await session.startNew();
    await session.open({ id: visitId, segments: [], note: null, chat: [] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(engine.imported, 'not before the model is loaded').to.deep.equal([]);
    engine.becomeReady();
    await until(() => engine.imported.length === 1, 'imported');
    expect(engine.imported[0]).to.deep.equal({ key: visitId, tokens: 3 });
  });

  it('forgets the memory when the chat is cleared', async () => {
    const { session, store, engine } = await setUp();
    await store.putModelMemory(session.id, (await engine.exportPrefix({ cacheKey: session.id }))!);
    session.putChat({ id: 'q', role: 'user', content: 'Dose?', createdAt: 0 });
    session.clearChat();
    let gone = false;
    await until(() => (void store.getModelMemory(session.id).then((m) => (gone = m === undefined)), gone), 'deleted');
  });
});

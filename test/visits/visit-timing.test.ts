import { expect } from '@open-wc/testing';
import { segment, visitDatabases } from './visit-fixtures.js';

const SEGMENTS = 1_000;
const sentence = (i: number) => `Sentence ${i}: the patient describes intermittent chest tightness on exertion, relieved by rest.`;

describe('visit store timing (prints the figures)', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  it(`writes ${SEGMENTS} segments one at a time and restores them in a new store`, async () => {
    const name = databases.name('timing');
    const store = await databases.open({ name });
    const visit = await store.create({ title: 'Long dictation' });

    let started = performance.now();
    for (let i = 0; i < SEGMENTS; i++) await store.putSegment(visit.id, segment(`s${i}`, i * 3, sentence(i)));
    const sequentialMs = performance.now() - started;

    started = performance.now();
    await Promise.all(Array.from({ length: SEGMENTS }, (_, i) => store.putSegment(visit.id, segment(`s${i}`, i * 3, `${sentence(i)} Edited.`))));
    const burstMs = performance.now() - started;

    started = performance.now();
    const reloaded = await databases.open({ name });
    const openMs = performance.now() - started;
    started = performance.now();
    const restored = await reloaded.get(visit.id);
    const restoreMs = performance.now() - started;
    started = performance.now();
    const [summary] = await reloaded.list();
    const listMs = performance.now() - started;

    expect(restored!.segments).to.have.length(SEGMENTS);
    expect(restored!.segments[SEGMENTS - 1].text).to.equal(`${sentence(SEGMENTS - 1)} Edited.`);
    expect(summary.segmentCount).to.equal(SEGMENTS);
    console.log(
      [
        `write ${SEGMENTS} segments, each awaited: ${sequentialMs.toFixed(0)} ms (${(sequentialMs / SEGMENTS).toFixed(2)} ms each)`,
        `re-put ${SEGMENTS} segments at once: ${burstMs.toFixed(0)} ms`,
        `open a second store: ${openMs.toFixed(0)} ms`,
        `restore the visit (${SEGMENTS} segments): ${restoreMs.toFixed(0)} ms`,
        `list: ${listMs.toFixed(0)} ms`,
      ].join('\n'),
    );
    // Loose bounds: the figures above are the point; these catch a pathological regression only.
    expect(restoreMs).to.be.below(5_000);
    expect(sequentialMs / SEGMENTS).to.be.below(100);
  });
});

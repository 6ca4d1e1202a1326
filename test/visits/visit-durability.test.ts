import { expect } from '@open-wc/testing';
import { segment, soapNote, visitDatabases } from './visit-fixtures.js';

describe('visit writes survive a crash mid-visit', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  it('stores each write as soon as it resolves, with no save on unload', async () => {
    const name = databases.name('durable');
    // The dictating page is never closed: whatever it wrote must already be in the database.
    const dictating = await databases.open({ name });
    const visit = await dictating.create({ title: 'Interrupted visit' });

    await dictating.putSegment(visit.id, segment('s1', 0, 'First sentence.'));
    const afterOneSegment = await (await databases.open({ name })).get(visit.id);
    await dictating.saveNote(visit.id, soapNote('First sentence.', 'None yet.'));
    await dictating.putChat(visit.id, { id: 'c1', role: 'user', content: 'Summarise.', createdAt: 1 });
    await dictating.putSegment(visit.id, segment('s2', 3, 'Second sentence.'));
    const afterEverything = await (await databases.open({ name })).get(visit.id);

    expect(afterOneSegment!.segments.map((s) => s.text)).to.deep.equal(['First sentence.']);
    expect(afterEverything!.segments.map((s) => s.text)).to.deep.equal(['First sentence.', 'Second sentence.']);
    expect(afterEverything!.notes).to.have.length(1);
    expect(afterEverything!.chat.map((m) => m.content)).to.deep.equal(['Summarise.']);
  });

  it('lets two open stores on one database (two tabs) see each other’s writes', async () => {
    const name = databases.name('two-tabs');
    const tabA = await databases.open({ name });
    const tabB = await databases.open({ name });
    const visit = await tabA.create({ title: 'Shared' });

    await tabB.putSegment(visit.id, segment('b1', 1, 'Written in tab B.'));
    await tabA.putSegment(visit.id, segment('a1', 0, 'Written in tab A.'));

    expect((await tabA.get(visit.id))!.segments.map((s) => s.id)).to.deep.equal(['a1', 'b1']);
    expect(await tabB.get(visit.id)).to.deep.equal(await tabA.get(visit.id));
  });
});

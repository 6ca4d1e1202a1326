import { expect } from '@open-wc/testing';
import { SlmError } from '../../src/errors/slm-error.js';
import { editRawRecord, rawRecords, rejectionOf, segment, visitDatabases } from './visit-fixtures.js';

const DAY = 86_400_000;

describe('visit retention', () => {
  const databases = visitDatabases();
  afterEach(() => databases.cleanUp());

  it('deletes the visits not updated within retentionDays of now, with everything they hold', async () => {
    const name = databases.name('retention');
    const store = await databases.open({ name, retentionDays: 30 });
    const visit = await store.create({ title: 'Old' });
    await store.putSegment(visit.id, segment('s1', 0, 'text'));
    await store.putChat(visit.id, { id: 'c1', role: 'user', content: 'q', createdAt: 1 });
    const { updatedAt } = (await store.get(visit.id))!;

    expect(await store.applyRetention(updatedAt + 30 * DAY)).to.equal(0);
    expect(await store.applyRetention(updatedAt + 30 * DAY + 1)).to.equal(1);

    expect(await store.list()).to.deep.equal([]);
    const raw = await rawRecords(name);
    expect([raw.visits, raw.segments, raw.chat].map((rows) => rows.length)).to.deep.equal([0, 0, 0]);
  });

  it('applies the retention period on open', async () => {
    const name = databases.name('retention-open');
    const first = await databases.open({ name });
    const stale = await first.create({ title: 'Stale' });
    const recent = await first.create({ title: 'Recent' });
    await editRawRecord(name, 'visits', stale.id, (row) => ({ ...(row as object), updatedAt: Date.now() - 8 * DAY }));

    const reopened = await databases.open({ name, retentionDays: 7 });

    expect((await reopened.list()).map((v) => v.id)).to.deep.equal([recent.id]);
  });

  it('keeps every visit when no retention period is set', async () => {
    const store = await databases.open({ name: databases.name('no-retention') });
    await store.create();

    expect(await store.applyRetention(Date.now() + 10_000 * DAY)).to.equal(0);
    expect(await store.list()).to.have.length(1);
  });

  it('refuses a retention period that is not a positive number of days', async () => {
    const error = await rejectionOf(databases.open({ name: databases.name('bad-retention'), retentionDays: 0 }));

    expect(error).to.be.instanceOf(SlmError);
    expect((error as SlmError).code).to.equal('invalid-argument');
  });
});

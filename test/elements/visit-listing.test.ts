import { expect } from '@open-wc/testing';
import { VisitListing } from '../../src/elements/slm-visits/internal/visit-listing.js';
import type { VisitSummary } from '../../src/visits/visit-types.js';

describe('VisitListing', () => {
  const summary = (id: string) => ({ id }) as VisitSummary;

  it('shows only the newest listing, and nothing once cancelled (the store is closing)', async () => {
    let reads = 0;
    const answers: Array<(visits: VisitSummary[]) => void> = [];
    const shown: string[][] = [];
    const listing = new VisitListing(
      () => (reads++, new Promise<VisitSummary[]>((resolve) => answers.push(resolve))),
      (visits) => shown.push(visits.map((v) => v.id)),
      (error) => expect.fail(String(error)),
    );
    const older = listing.refresh();
    const newer = listing.refresh();
    answers[1]([summary('b')]);
    answers[0]([summary('a')]);
    await Promise.all([older, newer]);
    expect(shown).to.deep.equal([['b']]);

    const inFlight = listing.refresh();
    listing.soon();
    listing.cancel();
    answers[2]([summary('c')]);
    await inFlight;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(shown, 'a listing under way when cancelled is not shown').to.deep.equal([['b']]);
    expect(reads, 'a listing due when cancelled does not read').to.equal(3);
  });
});

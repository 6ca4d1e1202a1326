import { expect, waitUntil } from '@open-wc/testing';
import type { SlmVisits } from '../../src/elements/slm-visits/slm-visits.js';
import { settled, uniqueDbName, visitsPage } from '../support/visits-page.js';

const rowOf = (visits: SlmVisits, which: 'open' | 'other') =>
  visits.shadowRoot!.querySelector(`[part~="visit"][aria-current="${which === 'open' ? 'true' : 'false'}"] [part~="visit-title"]`)?.textContent ?? null;

describe('<slm-visits> segment counts', () => {
  const names: string[] = [];
  afterEach(() => names.splice(0).forEach((name) => indexedDB.deleteDatabase(name)));

  it('counts the open visit’s segments as the session holds them, from the moment its row appears', async () => {
    names.push(uniqueDbName('visits-count'));
    const { visits, transcript } = await visitsPage(names[0]);
    transcript.upsert({ id: 'a1', text: 'Dry cough for two weeks.', start: 0, end: 2, final: true });
    // The row appears when the visit is first stored, before its first segment is.
    await waitUntil(() => rowOf(visits, 'open') !== null, 'the open visit was not listed', { timeout: 10_000 });
    await visits.updateComplete;
    expect(rowOf(visits, 'open')).to.include('· 1 segment').and.not.include('segments');

    // The sentence being spoken counts too: it is on the page, and stored about once a second.
    transcript.upsert({ id: 'a2', text: 'no fever', start: 2, end: 3, final: false });
    await visits.updateComplete;
    expect(rowOf(visits, 'open')).to.include('· 2 segments');

    // Once it is no longer the open visit, its row counts what is stored: the same two.
    await settled(visits);
    await visits.newVisit();
    transcript.upsert({ id: 'b1', text: 'Sore throat.', start: 0, end: 2, final: true });
    await waitUntil(() => rowOf(visits, 'open') !== null && rowOf(visits, 'other') !== null, 'both visits were not listed', { timeout: 10_000 });
    await visits.updateComplete;
    expect(rowOf(visits, 'open')).to.include('· 1 segment');
    await waitUntil(() => rowOf(visits, 'other')!.includes('· 2 segments'), `the first visit's row: ${rowOf(visits, 'other')}`, { timeout: 10_000 });
  });

  it('counts spoken segments only, and says how many gap marks a visit has', async () => {
    names.push(uniqueDbName('visits-gaps'));
    const { visits, transcript } = await visitsPage(names[0]);
    transcript.upsert({ id: 'a1', text: 'Dry cough for two weeks.', start: 0, end: 2, final: true });
    // The browser suspended the audio for 4 s: a mark, not something said.
    transcript.upsert({ id: 'a-gap-1', text: '', start: 2, end: 3, final: true, gap: 4 });
    transcript.upsert({ id: 'a2', text: 'No fever.', start: 3, end: 4, final: true });
    await waitUntil(() => rowOf(visits, 'open') !== null, 'the open visit was not listed', { timeout: 10_000 });
    await visits.updateComplete;
    expect(rowOf(visits, 'open')).to.include('· 2 segments · 1 gap').and.not.include('3 segments');

    // Stored and listed again as another visit, it says the same.
    await settled(visits);
    await visits.newVisit();
    transcript.upsert({ id: 'b1', text: 'Sore throat.', start: 0, end: 2, final: true });
    await waitUntil(() => rowOf(visits, 'open') !== null && rowOf(visits, 'other') !== null, 'both visits were not listed', { timeout: 10_000 });
    await visits.updateComplete;
    expect(rowOf(visits, 'open')).to.include('· 1 segment').and.not.include('gap');
    await waitUntil(() => rowOf(visits, 'other')!.includes('· 2 segments · 1 gap'), `the first visit's row: ${rowOf(visits, 'other')}`, { timeout: 10_000 });
  });
});

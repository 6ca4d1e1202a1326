import { expect, html } from '@open-wc/testing';
import '../../src/elements/slm-note/slm-note.js';
import '../../src/elements/slm-visits/slm-visits.js';
import type { NoteChangeDetail } from '../../src/note/note-types.js';
import { providerWithFakeWebLlm } from '../support/fake-webllm-provider.js';
import { defaultRewrite, scriptedNoteModel } from '../support/scripted-note-model.js';
import { settled, uniqueDbName, visitsPage } from '../support/visits-page.js';
import { FACT_DICTATIONS } from '../note/fact-dictations.js';

/** "He takes atorvastatin 40 mg nightly and candesartan 4 mg in the morning." is its second segment. */
const REVIEW = FACT_DICTATIONS.find((d) => d.name === 'statin and blood pressure review')!;
const dropAtorvastatin = scriptedNoteModel((segment) => (/atorvastatin 40/.test(segment.text) ? [] : defaultRewrite(segment)));
const shown = (note: HTMLElement, part: string) => [...note.shadowRoot!.querySelectorAll(`[part~="${part}"]`)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

describe('<slm-visits> and the omissions of a note', () => {
  let dbName: string;
  beforeEach(() => (dbName = uniqueDbName('slm-visits-omissions')));
  afterEach(() => indexedDB.deleteDatabase(dbName));

  it('stores the omissions and flags with the visit: after a reload they are shown again and every export carries them', async () => {
    const { provider } = await providerWithFakeWebLlm('qwen2.5-0.5b', { script: dropAtorvastatin }, html`<slm-visits db-name=${dbName}></slm-visits><slm-note debounce="20"></slm-note>`);
    const visits = provider.querySelector('slm-visits')!;
    const first = provider.querySelector('slm-note')!;
    await visits.updateComplete;
    await visits.ready;
    const modelUpdate = new Promise<NoteChangeDetail>((resolve) => first.addEventListener('slm-note-change', (e) => e.detail.cause === 'model' && resolve(e.detail)));
    REVIEW.segments.forEach((text, i) => provider.session.transcript.upsert({ id: `r${i}`, text, start: i * 4, end: i * 4 + 3, final: true }));
    const detail = await modelUpdate;
    expect(detail.omissions.map((o) => o.fact)).to.deep.equal(['atorvastatin 40 mg', 'candesartan 4 mg']);
    expect(first.note.review?.omissions).to.deep.equal(detail.omissions);
    await first.updateComplete;
    const shownBefore = shown(first, 'omission');
    await settled(visits);
    provider.remove();

    // The reload: a new engine and elements, no model, the same database.
    const second = await visitsPage(dbName);
    await second.note.updateComplete;
    expect(second.note.omissions).to.deep.equal(detail.omissions);
    expect(shown(second.note, 'omission')).to.deep.equal(shownBefore);
    for (const format of ['text', 'markdown', 'html'] as const) {
      const exported = second.note.exportAs(format);
      expect(exported, format).to.match(/review before signing/i);
      expect(exported, format).to.match(/atorvastatin 40 mg/);
      expect(exported, format).to.match(/candesartan 4 mg/);
    }
    const fhir = JSON.parse(second.note.exportAs('fhir')) as { entry: Array<{ resource: { resourceType: string; extension?: Array<{ url: string }> } }> };
    const composition = fhir.entry.find((e) => e.resource.resourceType === 'Composition')!.resource;
    expect(composition.extension!.filter((e) => e.url.endsWith('/omission'))).to.have.length(2);
  });

  it('stores the grounding flags with the note, and an edit that resolves them clears them in the store too', async () => {
    const changeDose = scriptedNoteModel((segment) => defaultRewrite(segment).map((s) => ({ ...s, text: s.text.replace('candesartan 4 mg', 'candesartan 40 mg') })));
    const { provider } = await providerWithFakeWebLlm('qwen2.5-0.5b', { script: changeDose }, html`<slm-visits db-name=${dbName}></slm-visits><slm-note debounce="20"></slm-note>`);
    const visits = provider.querySelector('slm-visits')!;
    const note = provider.querySelector('slm-note')!;
    await visits.ready;
    const modelUpdate = new Promise<NoteChangeDetail>((resolve) => note.addEventListener('slm-note-change', (e) => e.detail.cause === 'model' && resolve(e.detail)));
    REVIEW.segments.forEach((text, i) => provider.session.transcript.upsert({ id: `r${i}`, text, start: i * 4, end: i * 4 + 3, final: true }));
    const detail = await modelUpdate;
    const flagged = detail.flags.find((f) => f.term === 'candesartan 40 mg')!;
    expect(flagged).to.not.equal(undefined);
    await settled(visits);
    const stored = await visits.visitStore!.get(visits.currentVisitId!);
    expect(stored!.notes.at(-1)!.note.review!.flags).to.deep.include(flagged);

    note.removeItem(flagged.itemId);
    for (const omission of note.omissions) if (omission.itemId) note.editItem(omission.itemId, 'Atorvastatin 40 mg nightly, candesartan 4 mg mane.');
    await settled(visits);
    const after = await visits.visitStore!.get(visits.currentVisitId!);
    expect(after!.notes.at(-1)!.note.review).to.equal(undefined);
    provider.remove();
  });
});

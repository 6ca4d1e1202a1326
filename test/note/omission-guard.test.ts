import { expect } from '@open-wc/testing';
import type { TranscriptSegment } from '../../src/audio/transcript-store.js';
import { readItemFacts, readTranscriptFacts, statesFact, type ClinicalFact } from '../../src/note/clinical-facts.js';
import { draftItems, emptyNote } from '../../src/note/draft-structurer.js';
import { mergeModelUpdate } from '../../src/note/note-edits.js';
import type { ClinicalNote, NoteItem } from '../../src/note/note-types.js';
import { SOAP_TEMPLATE } from '../../src/note/templates.js';
import { FACT_DICTATIONS } from './fact-dictations.js';

const segmentsOf = (texts: string[]): TranscriptSegment[] => texts.map((text, i) => ({ id: `s${i}`, text, start: i * 4, end: i * 4 + 3, final: true }));

/** The note the instant draft makes of the segments, as NoteBuilder builds it. */
function draftNote(segments: TranscriptSegment[]): ClinicalNote {
  let note = emptyNote(SOAP_TEMPLATE);
  let last: string | undefined;
  for (const segment of segments) {
    for (const { sectionId, item } of draftItems(segment, SOAP_TEMPLATE, last)) {
      last = sectionId;
      note = { ...note, sections: note.sections.map((s) => (s.id === sectionId ? { ...s, items: [...s.items, item] } : s)) };
    }
  }
  return note;
}

let ids = 0;
const modelItem = (text: string, sources: string[]): NoteItem => ({ id: `model:${++ids}`, text, sources, origin: 'model', locked: false });

/** A model update: each segment's rewrite, filed in the section its draft is in. */
function answer(note: ClinicalNote, segments: TranscriptSegment[], rewrite: (segment: TranscriptSegment, index: number) => string | null): Map<string, NoteItem[]> {
  const update = new Map<string, NoteItem[]>(note.sections.map((s) => [s.id, []]));
  segments.forEach((segment, index) => {
    const text = rewrite(segment, index);
    const section = note.sections.find((s) => s.items.some((i) => i.sources.includes(segment.id)))!.id;
    if (text) update.get(section)!.push(modelItem(text, [segment.id]));
  });
  return update;
}

/** Facts of the transcript no item states. */
function lostFacts(items: Array<{ item: NoteItem; sectionId: string }>, segments: TranscriptSegment[]): ClinicalFact[] {
  const read = items.map(({ item, sectionId }) => ({ item, facts: readItemFacts(item.text, sectionId).facts }));
  return readTranscriptFacts(segments).facts.filter(
    (fact) =>
      !read.some(({ item, facts }) =>
        facts.some((own) => statesFact(own, fact) || (fact.kind === 'dose' && own.kind === 'dose' && !own.drug && item.sources.includes(fact.source ?? '') && statesFact({ ...own, drug: fact.drug }, fact))),
      ),
  );
}
const live = (note: ClinicalNote) => note.sections.flatMap((s) => s.items.filter((i) => !i.deleted).map((item) => ({ item, sectionId: s.id })));
const incomingOf = (update: Map<string, NoteItem[]>) => [...update].flatMap(([sectionId, items]) => items.map((item) => ({ item, sectionId })));

const restate = (segment: TranscriptSegment) => segment.text.replace(/^(we will|she has been|he takes)\s+/i, '').replace(/\.$/, ' (AI).');
const dropEveryOther = (segment: TranscriptSegment, index: number) => (index % 2 ? null : restate(segment));
const doubleEveryDose = (segment: TranscriptSegment) => restate(segment).replace(/(\d+(?:\.\d+)?)(\s*(?:mg|micrograms|mcg|g)\b)/gi, (_, n: string, unit: string) => `${Number(n) * 2}${unit}`);

describe('the omission guard', () => {
  const said = segmentsOf([
    'He takes atorvastatin 40 mg nightly.',
    'He has no fever and no chest pain.',
    'Temperature at home was 38.9.',
    'Start ramipril 2.5 mg daily.',
  ]);

  it('keeps the draft of a sentence the model dropped, and reports each fact it carried', () => {
    const note = draftNote(said);
    const update = answer(note, said, (s) => (s.id === 's0' ? null : restate(s)));
    const merged = mergeModelUpdate(note, new Set(said.map((s) => s.id)), update, { segments: said });
    const kept = live(merged.note).find(({ item }) => item.sources.includes('s0'))!.item;
    expect(kept).to.include({ origin: 'draft', text: 'He takes atorvastatin 40 mg nightly.' });
    expect(merged.omissions).to.deep.equal([{ fact: 'atorvastatin 40 mg', kind: 'dose', sources: ['s0'], sentences: ['s0#0'], change: 'dropped', itemId: kept.id }]);
    // The other sentences were replaced as usual.
    expect(live(merged.note).filter(({ item }) => item.origin === 'draft')).to.have.length(1);
  });

  it('keeps the dictated dose when the model changed it, and names the statement that changed it', () => {
    const note = draftNote(said);
    const update = answer(note, said, (s) => (s.id === 's3' ? 'Start ramipril 5 mg daily.' : restate(s)));
    const merged = mergeModelUpdate(note, new Set(said.map((s) => s.id)), update, { segments: said });
    expect(merged.omissions).to.deep.equal([{ fact: 'ramipril 2.5 mg', kind: 'dose', sources: ['s3'], sentences: ['s3#0'], change: 'changed', replacement: 'Start ramipril 5 mg daily.', itemId: 'draft:s3:0' }]);
    const plan = merged.note.sections.find((s) => s.id === 'plan')!.items.map((i) => i.text);
    expect(plan).to.include('Start ramipril 2.5 mg daily.');
  });

  it('keeps a negation the model turned into a finding, and a home reading it made a clinic one', () => {
    const note = draftNote(said);
    const update = answer(note, said, (s) => (s.id === 's1' ? 'Fever, no chest pain.' : s.id === 's2' ? null : restate(s)));
    update.get('objective')!.push(modelItem('Temperature 38.9 °C.', ['s2']));
    const merged = mergeModelUpdate(note, new Set(said.map((s) => s.id)), update, { segments: said });
    expect(merged.omissions.map((o) => [o.fact, o.change, o.replacement])).to.deep.equal([
      ['no fever', 'changed', 'Fever, no chest pain.'],
      ['home temperature 38.9', 'changed', 'Temperature 38.9 °C.'],
    ]);
  });

  it('lets a correct restatement replace the draft, with no omission', () => {
    const note = draftNote(said);
    const rewritten = ['Atorvastatin 40 mg nocte.', 'Denies fever and chest pain.', 'Home temperature 38.9 °C.', 'Ramipril 2.5 mg od.'];
    const update = answer(note, said, (_, i) => rewritten[i]);
    const merged = mergeModelUpdate(note, new Set(said.map((s) => s.id)), update, { segments: said });
    expect(merged.omissions).to.deep.equal([]);
    expect(live(merged.note).map(({ item }) => item.origin)).to.deep.equal(['model', 'model', 'model', 'model']);
  });

  it('leaves alone what the clinician wrote over a segment', () => {
    const note = draftNote(said);
    const edited: ClinicalNote = { ...note, sections: note.sections.map((s) => ({ ...s, items: s.items.map((i) => (i.sources[0] === 's0' ? { ...i, text: 'Atorvastatin 20 mg nightly.', origin: 'clinician' as const, locked: true } : i)) })) };
    const merged = mergeModelUpdate(edited, new Set(said.map((s) => s.id)), answer(edited, said, restate), { segments: said });
    expect(merged.omissions).to.deep.equal([]);
  });

  it('changes nothing when the answer has no statements at all, and says so', () => {
    const note = draftNote(said);
    const merged = mergeModelUpdate(note, new Set(said.map((s) => s.id)), new Map(note.sections.map((s) => [s.id, []])), { segments: said });
    expect(merged.note).to.equal(note);
    expect(merged.changed).to.deep.equal([]);
    expect(merged.warnings.join(' ')).to.match(/no statements/);
  });

  it('replaces nothing with an answer that was cut off, and adds its complete statements', () => {
    const note = draftNote(said);
    const update = new Map([['subjective', [modelItem('On atorvastatin 40 mg.', ['s0'])]]]);
    const merged = mergeModelUpdate(note, new Set(said.map((s) => s.id)), update, { segments: said, replace: false });
    expect(live(merged.note).filter(({ item }) => item.origin === 'draft')).to.have.length(live(note).length);
    expect(live(merged.note).map(({ item }) => item.text)).to.include('On atorvastatin 40 mg.');
  });

  it(`loses no fact of ${FACT_DICTATIONS.length} dictations to a model that drops or changes sentences`, () => {
    const rows: string[] = [];
    const totals = { facts: 0, dropBefore: 0, dropAfter: 0, changeBefore: 0, changeAfter: 0, omissions: 0 };
    for (const dictation of FACT_DICTATIONS) {
      const segments = segmentsOf(dictation.segments);
      const window = new Set(segments.map((s) => s.id));
      const facts = readTranscriptFacts(segments).facts.length;
      const note = draftNote(segments);
      const counts = [dropEveryOther, doubleEveryDose].map((model) => {
        const update = answer(note, segments, model);
        // Before the guard, an update replaced every draft of its window: the note kept only what the update said.
        const before = lostFacts(incomingOf(update), segments).length;
        const merged = mergeModelUpdate(note, window, update, { segments });
        totals.omissions += merged.omissions.length;
        return [before, lostFacts(live(merged.note), segments).length];
      });
      totals.facts += facts;
      totals.dropBefore += counts[0][0];
      totals.dropAfter += counts[0][1];
      totals.changeBefore += counts[1][0];
      totals.changeAfter += counts[1][1];
      rows.push(`  ${dictation.name}: ${facts} facts; dropping model loses ${counts[0][0]} → ${counts[0][1]}; dose-changing model loses ${counts[1][0]} → ${counts[1][1]}`);
    }
    console.log(
      [
        `omission guard over ${FACT_DICTATIONS.length} dictations, ${totals.facts} facts (before → after the guard):`,
        ...rows,
        `  total: a model dropping every other sentence lost ${totals.dropBefore} → ${totals.dropAfter}; one changing every dose lost ${totals.changeBefore} → ${totals.changeAfter}; ${totals.omissions} omissions reported`,
      ].join('\n'),
    );
    expect(totals.dropBefore).to.be.greaterThan(20);
    expect(totals.changeBefore).to.be.greaterThan(20);
    expect([totals.dropAfter, totals.changeAfter]).to.deep.equal([0, 0]);
  });

  it('checks a file segment sentence by sentence: a fact is owed by the statements citing its own sentence', () => {
    const file = [{ id: 'f', text: 'He takes amlodipine 5 mg daily. Increase amlodipine to 10 mg.', start: 0, end: 9, final: true }];
    const note = draftNote(file);
    const update = new Map<string, NoteItem[]>([
      // The model files the change under its own sentence, and drops what he takes now.
      ['plan', [{ ...modelItem('Increase amlodipine to 10 mg.', ['f']), sentences: ['f#1'] }]],
    ]);
    const merged = mergeModelUpdate(note, new Set(['f']), update, { segments: file });
    const kept = live(merged.note).find(({ item }) => item.sentences?.includes('f#0'))!.item;
    expect(kept).to.include({ origin: 'draft', text: 'He takes amlodipine 5 mg daily.' });
    // Dropped, not "changed": the 10 mg statement answers for the other sentence.
    expect(merged.omissions).to.deep.equal([{ fact: 'amlodipine 5 mg', kind: 'dose', sources: ['f'], sentences: ['f#0'], change: 'dropped', itemId: kept.id }]);
    expect(live(merged.note).find(({ item }) => item.sentences?.includes('f#1'))!.item.origin).to.equal('model');
  });
});

import { expect } from '@open-wc/testing';
import { checkGrounding, groundingTerms } from '../../src/note/grounding.js';
import type { ClinicalNote, NoteItem } from '../../src/note/note-types.js';

const item = (id: string, text: string, origin: NoteItem['origin'] = 'model'): NoteItem => ({ id, text, sources: [], origin, locked: origin === 'clinician' });
const note = (...items: NoteItem[]): ClinicalNote => ({ template: 'soap', title: 'SOAP note', sections: [{ id: 'plan', title: 'Plan', items }] });

describe('grounding guard', () => {
  const transcript = 'We will start lisinopril ten milligrams once daily. Blood pressure one hundred and forty over ninety. Temperature thirty eight point two.';

  it('finds the numbers, doses and drug names a statement asserts', () => {
    const terms = groundingTerms('Start lisinopril 10 mg daily; BP 140/90; metformin 1,000mg.');
    expect(terms).to.deep.include({ term: '10 mg', kind: 'dose' });
    expect(terms).to.deep.include({ term: '1000 mg', kind: 'dose' });
    expect(terms).to.deep.include({ term: '140', kind: 'number' });
    expect(terms).to.deep.include({ term: 'lisinopril', kind: 'drug' });
    expect(terms).to.deep.include({ term: 'metformin', kind: 'drug' });
  });

  it('accepts what was said, in words or digits', () => {
    expect(checkGrounding(note(item('a', 'Start lisinopril 10 mg once daily.'), item('b', 'BP 140/90, temperature 38.2.')), transcript)).to.deep.equal([]);
  });

  it('flags an invented dose, a wrong unit, an invented number and an invented drug', () => {
    const flags = checkGrounding(
      note(item('dose', 'Lisinopril 20 mg once daily.'), item('unit', 'Lisinopril 10 g once daily.'), item('number', 'Recheck in 6 weeks.'), item('drug', 'Add amlodipine.')),
      transcript,
    );
    expect(flags.map((f) => [f.itemId, f.kind, f.term])).to.deep.equal([
      ['dose', 'dose', '20 mg'],
      ['unit', 'unit', '10 g'],
      ['number', 'number', '6'],
      ['drug', 'drug', 'amlodipine'],
    ]);
  });

  it("leaves the clinician's own statements unchecked: they are authoritative", () => {
    expect(checkGrounding(note(item('c', 'Amlodipine 5 mg daily.', 'clinician')), transcript)).to.deep.equal([]);
  });
});

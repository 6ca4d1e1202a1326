import { expect } from '@open-wc/testing';
import { checkGrounding, groundingTerms } from '../../src/note/grounding.js';
import type { ClinicalNote, NoteItem } from '../../src/note/note-types.js';

const item = (id: string, text: string, origin: NoteItem['origin'] = 'model', sources: string[] = []): NoteItem => ({ id, text, sources, origin, locked: origin === 'clinician' });
const note = (...items: NoteItem[]): ClinicalNote => ({ template: 'soap', title: 'SOAP note', sections: [{ id: 'plan', title: 'Plan', items }] });
const noteIn = (sectionId: string, ...items: NoteItem[]): ClinicalNote => ({ template: 'soap', title: 'SOAP note', sections: [{ id: sectionId, title: sectionId, items }] });
const flagged = (n: ClinicalNote, transcript: Parameters<typeof checkGrounding>[1]) => checkGrounding(n, transcript).map((f) => [f.itemId, f.kind, f.term]);

describe('grounding guard', () => {
  const transcript = 'We will start lisinopril ten milligrams once daily. Blood pressure one hundred and forty over ninety. Temperature thirty eight point two.';

  it('finds the drugs, bound doses, vitals and other numbers a statement asserts', () => {
    const terms = groundingTerms('Start lisinopril 10 mg daily; BP 140/90; metformin 1,000mg; type 2 diabetes.');
    expect(terms).to.deep.include({ term: 'lisinopril 10 mg', kind: 'dose' });
    expect(terms).to.deep.include({ term: 'metformin 1000 mg', kind: 'dose' });
    expect(terms).to.deep.include({ term: 'blood pressure 140/90', kind: 'vital' });
    expect(terms).to.deep.include({ term: 'lisinopril', kind: 'drug' });
    expect(terms).to.deep.include({ term: 'metformin', kind: 'drug' });
    expect(terms).to.deep.include({ term: '2', kind: 'number' });
  });

  it('accepts what was said, in words or digits', () => {
    expect(checkGrounding(note(item('a', 'Start lisinopril 10 mg once daily.'), item('b', 'BP 140/90, temperature 38.2.')), transcript)).to.deep.equal([]);
  });

  it('flags an invented dose, a wrong unit, an invented duration and an invented drug', () => {
    expect(flagged(note(item('dose', 'Lisinopril 20 mg once daily.'), item('unit', 'Lisinopril 10 g once daily.'), item('number', 'Recheck in 6 weeks.'), item('drug', 'Add amlodipine.')), transcript)).to.deep.equal([
      ['dose', 'dose', 'lisinopril 20 mg'],
      ['unit', 'unit', 'lisinopril 10 g'],
      ['number', 'duration', '6 weeks'],
      ['drug', 'drug', 'amlodipine'],
    ]);
  });

  it('checks a statement against the sentences it cites, not its whole segment', () => {
    const file = [{ id: 'f', text: 'He takes amlodipine 5 mg daily. Increase amlodipine to 10 mg.' }];
    const now = { ...item('now', 'Amlodipine 10 mg daily.', 'model', ['f']), sentences: ['f#0'] };
    const change = { ...item('change', 'Increase amlodipine to 10 mg.', 'model', ['f']), sentences: ['f#1'] };
    // "10 mg" was said in the segment, but not in the sentence this statement rewrites.
    expect(flagged(note(now, change), file)).to.deep.equal([['now', 'dose', 'amlodipine 10 mg']]);
    // An item saved before sentence ids answers for its whole segment, as before.
    expect(flagged(note(item('old', 'Amlodipine 10 mg daily.', 'model', ['f'])), file)).to.deep.equal([]);
  });

  it("leaves the clinician's own statements unchecked: they are authoritative", () => {
    expect(checkGrounding(note(item('c', 'Amlodipine 5 mg daily.', 'clinician')), transcript)).to.deep.equal([]);
  });

  describe('a dose is grounded only by its own drug', () => {
    it('flags atorvastatin 4 mg when atorvastatin 40 mg and another drug 4 mg were said', () => {
      const said = 'He takes atorvastatin 40 mg nightly and candesartan 4 mg in the morning.';
      expect(flagged(note(item('a', 'Atorvastatin 4 mg nightly.')), said)).to.deep.equal([['a', 'dose', 'atorvastatin 4 mg']]);
      expect(flagged(note(item('b', 'Atorvastatin 40 mg nightly, candesartan 4 mg mane.')), said)).to.deep.equal([]);
    });

    it('flags "increase amlodipine to 5 mg" when the increase was to 10', () => {
      const said = 'She takes ramipril 5 mg. Increase amlodipine to 10 mg.';
      expect(flagged(note(item('a', 'Increase amlodipine to 5 mg.')), said)).to.deep.equal([['a', 'dose', 'amlodipine 5 mg']]);
      expect(flagged(note(item('b', 'Increase amlodipine to 10 mg.')), said)).to.deep.equal([]);
    });

    it('flags a change that goes to the dose it came from', () => {
      const said = 'Increase amlodipine from 5 to 10 mg.';
      expect(flagged(note(item('a', 'Increase amlodipine to 5 mg.')), said)).to.deep.equal([['a', 'dose', 'amlodipine 5 mg']]);
      expect(flagged(note(item('b', 'Amlodipine increased from 5 mg to 10 mg.')), said)).to.deep.equal([]);
    });

    it('checks a statement against the segments it cites first', () => {
      const segments = [
        { id: 's1', text: 'Amlodipine 5 mg was started last year.' },
        { id: 's2', text: 'Today we change the amlodipine dose, 10 mg daily from now on.' },
      ];
      expect(flagged(note(item('a', 'Amlodipine 5 mg daily from now on.', 'model', ['s2'])), segments)).to.deep.equal([['a', 'dose', 'amlodipine 5 mg']]);
      expect(flagged(note(item('b', 'Amlodipine 5 mg since last year.', 'model', ['s1'])), segments)).to.deep.equal([]);
      // Citing nothing that speaks of the drug's dose, the whole transcript is the evidence.
      expect(flagged(note(item('c', 'On amlodipine 5 mg.', 'model', ['elsewhere'])), segments)).to.deep.equal([]);
    });

    it('does not flag an equal amount in another unit: paracetamol 1 g when 1000 mg was said', () => {
      expect(flagged(note(item('a', 'Paracetamol 1 g four times daily.')), 'Paracetamol one thousand milligrams four times a day.')).to.deep.equal([]);
      expect(flagged(note(item('b', 'Digoxin 125 mcg daily.')), 'Digoxin 0.125 mg daily.')).to.deep.equal([]);
    });
  });

  describe('a vital is grounded only by the same kind, value and setting', () => {
    const said = 'Her temperature at home was 38.9. In clinic today her temperature is 37.2, pulse 88 and blood pressure 152 over 94.';

    it('flags a home temperature that reappears as a clinic one', () => {
      expect(flagged(noteIn('objective', item('a', 'Temperature 38.9 °C.')), said)).to.deep.equal([['a', 'vital', 'clinic temperature 38.9']]);
      expect(flagged(noteIn('objective', item('b', 'Temperature 38.9 in clinic.')), said)).to.deep.equal([['b', 'vital', 'clinic temperature 38.9']]);
      expect(flagged(noteIn('subjective', item('c', 'Temperature 38.9 at home.')), said)).to.deep.equal([]);
      expect(flagged(noteIn('objective', item('d', 'T 37.2, HR 88, BP 152/94.')), said)).to.deep.equal([]);
    });

    it('flags a vital whose value belongs to another vital', () => {
      expect(flagged(noteIn('objective', item('a', 'Heart rate 94.')), said)).to.deep.equal([['a', 'vital', 'clinic heart rate 94']]);
    });

    it('does not flag SpO2 98% when "oxygen saturation 98 percent" was said', () => {
      expect(flagged(noteIn('objective', item('a', 'SpO2 98% on room air.')), 'Oxygen saturation ninety eight percent on room air.')).to.deep.equal([]);
      expect(flagged(noteIn('objective', item('b', 'SpO2 96%.')), 'Oxygen saturation ninety eight percent on room air.')).to.deep.equal([['b', 'vital', 'clinic oxygen saturation 96%']]);
    });
  });

  it('flags an allergy or a negation that was never said', () => {
    const said = 'She is allergic to penicillin. She denies chest pain. Fever for three days.';
    expect(flagged(note(item('a', 'Penicillin allergy; no chest pain.')), said)).to.deep.equal([]);
    expect(flagged(note(item('b', 'No known drug allergies.')), said)).to.deep.equal([['b', 'allergy', 'no known drug allergies']]);
    expect(flagged(note(item('c', 'No fever.')), said)).to.deep.equal([['c', 'negation', 'no fever']]);
  });
});

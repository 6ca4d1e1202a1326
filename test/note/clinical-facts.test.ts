import { expect } from '@open-wc/testing';
import { readClinicalFacts, readItemFacts, readTranscriptFacts, statesFact, type ClinicalFact } from '../../src/note/clinical-facts.js';

/** The facts of a sentence as "kind: text", the way a reader of the note would list them. */
const factsOf = (text: string) => readClinicalFacts(text).facts.map((f) => `${f.kind}: ${f.text}`);
const only = <K extends ClinicalFact['kind']>(text: string, kind: K) => readClinicalFacts(text).facts.filter((f): f is Extract<ClinicalFact, { kind: K }> => f.kind === kind);

describe('reading clinical facts', () => {
  describe('doses', () => {
    it('binds each amount to its own drug', () => {
      expect(only('Continue atorvastatin 40 mg nightly and start candesartan 4 mg.', 'dose').map((d) => d.text)).to.deep.equal(['atorvastatin 40 mg', 'candesartan 4 mg']);
      expect(only('Start 40 mg of atorvastatin and stop simvastatin 20 mg.', 'dose').map((d) => d.text)).to.deep.equal(['atorvastatin 40 mg', 'simvastatin 20 mg']);
      expect(only('Amoxicillin 500 mg three times daily.', 'dose')[0]).to.include({ drug: 'amoxicillin', base: 500, unit: 'mg' });
    });

    it('knows where a dose change goes and where it comes from', () => {
      const [from, to] = only('We will increase amlodipine from five to ten milligrams once daily.', 'dose');
      expect(from).to.include({ drug: 'amlodipine', amount: 5, role: 'previous' });
      expect(to).to.include({ drug: 'amlodipine', amount: 10, role: 'target' });
      expect(only('Increase amlodipine to 10 mg.', 'dose')[0]).to.include({ drug: 'amlodipine', amount: 10, role: 'target' });
    });

    it('converts units: 1 g is 1000 mg, micrograms and µg are mcg', () => {
      expect(only('Paracetamol 1 g four times a day.', 'dose')[0]).to.include({ drug: 'paracetamol', base: 1000, unit: 'mg' });
      expect(only('Paracetamol one thousand milligrams.', 'dose')[0]).to.include({ base: 1000, unit: 'mg' });
      expect(only('Digoxin 125 micrograms daily.', 'dose')[0]).to.include({ drug: 'digoxin', base: 0.125, unit: 'mg' });
      expect(only('Digoxin 125 µg daily.', 'dose')[0]).to.include({ base: 0.125, unit: 'mg' });
      expect(only('Digoxin 125 mcg daily.', 'dose')[0]).to.include({ base: 0.125, unit: 'mg' });
    });

    it('binds an amount said after the drug’s sentence to that drug', () => {
      expect(only('He takes atorvastatin. Forty milligrams at night.', 'dose')[0]).to.include({ drug: 'atorvastatin', amount: 40 });
    });

    it('reads names that contain numbers as names, not doses', () => {
      expect(factsOf('SpO2 98%, CO2 normal, COVID-19 negative, vitamin B12 1000 mcg.')).to.deep.equal(['vital: oxygen saturation 98%', 'drug: vitamin b12', 'dose: vitamin b12 1000 mcg']);
      expect(readClinicalFacts('HbA1c 58 on COVID-19 ward').numbers).to.deep.equal(['58']);
    });

    it('reads a percentage as a dose only beside a drug', () => {
      expect(only('Hydrocortisone 1% cream twice daily.', 'dose').map((d) => d.text)).to.deep.equal(['hydrocortisone 1 %']);
      expect(only('Peak flow is 320, about 70 percent of her best.', 'dose')).to.deep.equal([]);
    });
  });

  describe('vitals', () => {
    it('reads each vital with its kind and value, however it is said', () => {
      expect(factsOf('Blood pressure today is 152 over 94 and pulse 78.')).to.deep.equal(['vital: blood pressure 152/94', 'vital: heart rate 78']);
      expect(factsOf('BP 152/94 mmHg, HR 78 bpm, RR 18, temp 37.9 °C.')).to.deep.equal(['vital: blood pressure 152/94', 'vital: heart rate 78', 'vital: respiratory rate 18', 'vital: temperature 37.9']);
      expect(factsOf('Weight is ninety one kilograms.')).to.deep.equal(['vital: weight 91 kg']);
    });

    it('reads SpO2, sats and oxygen saturation as one vital', () => {
      for (const said of ['SpO2 98%', 'Oxygen saturation ninety eight percent on room air.', 'sats 98 % on air', 'O2 sat of 98%']) {
        expect(only(said, 'vital'), said).to.have.length(1);
        expect(only(said, 'vital')[0], said).to.include({ vital: 'oxygen-saturation', value: 98 });
      }
    });

    it('keeps a home reading apart from a clinic one', () => {
      const [home, clinic] = only('She measured a temperature of 38.9 at home. In clinic today her temperature is 37.2.', 'vital');
      expect(home).to.include({ vital: 'temperature', value: 38.9, setting: 'home' });
      expect(clinic).to.include({ vital: 'temperature', value: 37.2, setting: 'clinic' });
      expect(only('Her home blood pressure readings average 135 over 85.', 'vital')[0]).to.include({ setting: 'home', value: 135, second: 85 });
      // An unqualified vital filed under the examination is the clinic's.
      expect(readItemFacts('Temperature 38.9.', 'objective').facts[0]).to.include({ setting: 'clinic', text: 'clinic temperature 38.9' });
      expect(readItemFacts('Temperature 38.9.', 'subjective').facts[0]).to.not.have.property('setting');
    });

    it('converts Fahrenheit', () => {
      expect(only('Temp 101 F.', 'vital')[0]).to.include({ value: 38.3, converted: true });
    });

    it('does not read a count or a duration as a vital', () => {
      expect(only('He checks his sugars 3 times a day.', 'vital')).to.deep.equal([]);
      expect(only('Temperature for 2 days.', 'vital')).to.deep.equal([]);
    });
  });

  describe('allergies', () => {
    it('reads allergies and intolerances said either way round', () => {
      expect(factsOf('She is allergic to penicillin and codeine, which gives her a rash.')).to.deep.equal(['allergy: allergic to penicillin', 'allergy: allergic to codeine']);
      expect(factsOf('Penicillin allergy.')).to.deep.equal(['allergy: allergic to penicillin']);
      expect(factsOf('Statin intolerance.')).to.deep.equal(['allergy: intolerant of statin']);
      expect(factsOf('Not allergic to latex.')).to.deep.equal(['allergy: not allergic to latex']);
    });

    it('reads "no known drug allergies" in its usual forms', () => {
      for (const said of ['No known drug allergies.', 'NKDA.', 'No allergies.', 'Allergies: none.']) expect(factsOf(said), said).to.deep.equal(['allergy: no known drug allergies']);
    });
  });

  describe('negations', () => {
    it('reads what is negated, through a list that ends in "or"', () => {
      expect(factsOf('She denies fever, chills or night sweats.')).to.deep.equal(['negation: no fever', 'negation: no chills', 'negation: no night sweats']);
      expect(factsOf('No vomiting, no black stools.')).to.deep.equal(['negation: no vomiting', 'negation: no black stools']);
      expect(factsOf('Heart sounds normal without murmur.')).to.deep.equal(['negation: no murmur']);
      expect(factsOf('His hypertension is not well controlled.')).to.deep.equal(['negation: not well controlled']);
      expect(factsOf('Afebrile.')).to.deep.equal(['negation: no fever']);
      // Findings said in other words compare as one.
      expect(only('Not febrile.', 'negation')[0].words).to.deep.equal(['fever']);
      expect(only('Not short of breath.', 'negation')[0].words).to.deep.equal(['short', 'breath']);
      expect(only('No breathlessness.', 'negation')[0].words).to.deep.equal(['breath']);
    });

    it('stops where the negation stops', () => {
      expect(factsOf('He has no headaches and feels well.')).to.deep.equal(['negation: no headaches']);
      expect(factsOf('Denies pain on walking.')).to.deep.equal(['negation: no pain']);
    });
  });

  describe('durations and dates', () => {
    it('reads durations in any unit and dates in any order', () => {
      expect(only('Cough for two weeks.', 'duration')[0]).to.include({ value: 14 * 1440, scale: 'minutes' });
      expect(only('Cough for 14 days.', 'duration')[0]).to.include({ value: 14 * 1440, scale: 'minutes' });
      expect(only('Seen on 3rd March 2024.', 'date')[0]).to.include({ value: '3-3-2024' });
      expect(only('Seen on March 3, 2024.', 'date')[0]).to.include({ value: '3-3-2024' });
      // An age is not a duration.
      expect(only('A 54 year old woman.', 'duration')).to.deep.equal([]);
    });
  });

  it('reads every fact’s text back as the same fact', () => {
    const dictation =
      'Atorvastatin 40 mg nightly; increase amlodipine from 5 to 10 mg. Paracetamol 1 g. Home temperature 38.9, clinic blood pressure 152 over 94, SpO2 98%, weight 200 lb. Allergic to penicillin, statin intolerance, no known drug allergies. Denies fever or chest pain, not short of breath. For 2 weeks since 12 March.';
    const facts = readClinicalFacts(dictation).facts;
    expect(facts.length).to.be.greaterThan(15);
    for (const fact of facts) {
      const again = readClinicalFacts(fact.text).facts.find((f) => f.kind === fact.kind);
      expect(again && statesFact(again, fact), fact.text).to.equal(true);
    }
  });

  it('reads a transcript segment by segment, each fact with its source', () => {
    const facts = readTranscriptFacts([
      { id: 'a', text: 'He takes atorvastatin.' },
      { id: 'b', text: 'Forty milligrams at night, blood pressure 140 over 90.' },
    ]).facts;
    expect(facts.map((f) => [f.source, f.text])).to.deep.equal([
      ['a', 'atorvastatin'],
      ['b', 'atorvastatin 40 mg'],
      ['b', 'blood pressure 140/90'],
    ]);
  });
});

import { expect } from '@open-wc/testing';
import { classifySentence, draftItems, splitSentences } from '../../src/note/draft-structurer.js';
import { HISTORY_AND_PHYSICAL_TEMPLATE, SOAP_TEMPLATE, resolveTemplate } from '../../src/note/templates.js';
import { HELD_OUT_DICTATIONS, SOAP_DICTATIONS, type LabelledDictation } from './dictations.js';

describe('instant draft', () => {
  function accuracy(dictations: LabelledDictation[], label: string) {
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    for (const dictation of dictations) {
      let previous: string | undefined;
      for (const [text, expected] of dictation.sentences) {
        const got = classifySentence(text, SOAP_TEMPLATE, previous);
        previous = got;
        total++;
        if (got === expected) right++;
        else misses.push(`${dictation.name}: “${text}” → ${got} (expected ${expected})`);
      }
    }
    console.log(`draft section accuracy, ${label}: ${right}/${total} = ${((right / total) * 100).toFixed(1)}%${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    return { accuracy: right / total, total };
  }

  it('files the labelled dictations into SOAP sections (prints the accuracy)', () => {
    const development = accuracy(SOAP_DICTATIONS, 'development set');
    expect(development.total).to.be.greaterThan(40);
    expect(development.accuracy).to.be.at.least(0.9);
    const heldOut = accuracy(HELD_OUT_DICTATIONS, 'held-out set');
    expect(heldOut.accuracy).to.be.at.least(0.7);
  });

  it('follows a spoken heading whatever the sentence says', () => {
    expect(classifySentence('Plan: blood pressure check in a week.', SOAP_TEMPLATE)).to.equal('plan');
    expect(classifySentence('For the assessment, she is stable.', SOAP_TEMPLATE)).to.equal('assessment');
  });

  it('keeps a sentence without cues in the section the dictation is in', () => {
    expect(classifySentence('Nothing else of note.', SOAP_TEMPLATE, 'objective')).to.equal('objective');
    expect(classifySentence('Nothing else of note.', SOAP_TEMPLATE)).to.equal('subjective');
  });

  it('splits a segment into sentences, each an item pointing back to the segment', () => {
    const items = draftItems({ id: 'seg-1', text: 'Cough for two weeks. Temperature 38.2 degrees. Start amoxicillin.', start: 0, end: 5, final: true }, SOAP_TEMPLATE);
    expect(items.map((i) => i.sectionId)).to.deep.equal(['subjective', 'objective', 'plan']);
    expect(items.every((i) => i.item.sources[0] === 'seg-1' && i.item.origin === 'draft')).to.equal(true);
    expect(splitSentences('Dr. Smith saw Mrs. Jones. BP 120 over 80!')).to.deep.equal(['Dr. Smith saw Mrs. Jones.', 'BP 120 over 80!']);
  });

  it('uses the cues of other templates', () => {
    expect(classifySentence('Her mother had breast cancer.', HISTORY_AND_PHYSICAL_TEMPLATE)).to.equal('family-history');
    expect(classifySentence('She is allergic to penicillin, it gives her a rash.', HISTORY_AND_PHYSICAL_TEMPLATE)).to.equal('allergies');
    expect(classifySentence('She smokes ten cigarettes a day.', HISTORY_AND_PHYSICAL_TEMPLATE)).to.equal('social-history');
  });

  it('accepts a custom template as JSON and refuses a broken one with a readable error', () => {
    const template = resolveTemplate('{"id":"ed","title":"ED note","sections":[{"id":"triage","title":"Triage","cues":["arrived"]},{"id":"disposition","title":"Disposition","cues":["discharge","admit"]}]}');
    expect(template.sections.map((s) => s.id)).to.deep.equal(['triage', 'disposition']);
    expect(classifySentence('We will admit him to the ward.', template)).to.equal('disposition');
    expect(() => resolveTemplate('{"sections":[{"id":"a"},{"id":"a"}]}')).to.throw(/appears twice/);
    expect(() => resolveTemplate('{"sections": [')).to.throw(/not valid JSON/);
    expect(() => resolveTemplate('nonsense')).to.throw(/Unknown note template/);
  });
});

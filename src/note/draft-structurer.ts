import type { TranscriptSegment } from '../audio/transcript-store.js';
import { findDiagnoses, type DiagnosisMention } from './diagnosis-vocabulary.js';
import { isDictatedInstruction } from './dictated-instructions.js';
import { groundingTerms } from './grounding.js';
import { splitSentences } from './sentences.js';
import type { ClinicalNote, NoteItem, NoteTemplate } from './note-types.js';

/** What a section is for, whatever a template calls it: the draft's own signals are per role. */
type SectionRole = 'subjective' | 'objective' | 'assessment' | 'plan';

interface CompiledSection {
  id: string;
  header: RegExp;
  cues: Array<{ pattern: RegExp; weight: number }>;
}

interface CompiledTemplate {
  sections: CompiledSection[];
  /** Index of the section that plays each role, where the template has one. */
  roles: Partial<Record<SectionRole, number>>;
}

const ROLE_OF_SECTION: Array<[SectionRole, RegExp]> = [
  ['subjective', /^(?:subjective|hpi|interval-history)$|present illness|interval history/],
  ['objective', /objective|exam/],
  ['assessment', /assessment|impression|diagnos/],
  ['plan', /\bplan\b|disposition|management/],
];

/**
 * Headings clinicians dictate that are not a template's section titles ("Impression:", "Dx:",
 * "Vitals:", "F/U:"). They need the colon or dash, as a word alone says less.
 */
const ROLE_HEADINGS: Record<SectionRole, string[]> = {
  subjective: ['s', 'subj', 'hpi', 'history', 'hx', 'cc', 'c/o', 'complaint', 'presenting complaint', 'pc', 'ros', 'pmh', 'pmhx', 'meds', 'medications', 'allergies', 'social history', 'family history'],
  objective: ['o', 'obj', 'exam', 'examination', 'on exam', 'on examination', 'o/e', 'oe', 'pe', 'physical exam', 'vitals', 'vital signs', 'obs', 'observations', 'labs', 'bloods', 'results', 'investigations', 'imaging'],
  assessment: ['a', 'imp', 'impression', 'dx', 'ddx', 'diagnosis', 'diagnoses', 'differential', 'differentials', 'problem', 'problems', 'problem list', 'working diagnosis', 'clinical impression'],
  plan: ['p', 'rx', 'tx', 'treatment', 'management', 'mgmt', 'disposition', 'dispo', 'f/u', 'fu', 'follow up', 'follow-up', 'recommendations', 'recs', 'orders', 'advice', 'next steps'],
};
const ROLE_HEADING = Object.fromEntries(
  Object.entries(ROLE_HEADINGS).map(([role, words]) => [role, new RegExp(`^(?:${words.map((w) => escape(w)).join('|')})\\s*(?::|\\s[-–—])`, 'u')]),
) as Record<SectionRole, RegExp>;

const compiled = new WeakMap<NoteTemplate, CompiledTemplate>();
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
const words = (phrase: string) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${escape(phrase.toLowerCase())}(?=$|[^\\p{L}\\p{N}])`, 'u');

function compile(template: NoteTemplate): CompiledTemplate {
  let result = compiled.get(template);
  if (!result) {
    const sections = template.sections.map((s) => ({
      id: s.id,
      // "Plan: …", "For the plan, …", "Assessment is …": a dictated heading decides outright.
      header: new RegExp(`^(?:(?:for|in|on|under|and|so|now)\\s+(?:the\\s+)?)?(?:${escape(s.title.toLowerCase())}|${escape(s.id.toLowerCase().replace(/[-_]/g, ' '))})\\b`, 'u'),
      // Multi-word cues are more specific than single words, so they weigh more.
      cues: (s.cues ?? []).map((cue) => ({ pattern: words(cue), weight: cue.includes(' ') ? 2 : 1 })),
    }));
    const roles: CompiledTemplate['roles'] = {};
    for (const [role, pattern] of ROLE_OF_SECTION) {
      const index = template.sections.findIndex((s) => pattern.test(s.id.toLowerCase()) || pattern.test(s.title.toLowerCase()));
      if (index >= 0 && !Object.values(roles).includes(index)) roles[role] = index;
    }
    result = { sections, roles };
    compiled.set(template, result);
  }
  return result;
}

/** How much each section's cues say about a sentence (already lower case). */
function cueScores(text: string, sections: CompiledSection[]): number[] {
  return sections.map((section) => {
    let score = 0;
    for (const cue of section.cues) {
      const match = cue.pattern.exec(text);
      // A cue that opens the sentence ("Recheck …", "Denies …") says more than one inside it.
      if (match) score += cue.weight + (match.index === 0 ? 1 : 0);
    }
    return score;
  });
}

// Around a diagnosis, these words say it is the patient's background ("history of asthma",
// "known AF", "metformin for diabetes") or a pertinent negative ("no hearing loss"), not today's
// assessment.
const BACKGROUND = new Set(['no', 'not', 'without', 'denies', 'negative', 'under', 'via', 'using', 'history', 'hx', 'h/o', 'fhx', 'fh', 'pmh', 'pmhx', 'known', 'with', 'for', 'on', 'of', 'diagnosed', 'treated', 'previous', 'previously', 'prior', 'past', 'background', 'family', 'mother', 'father', 'mum', 'mom', 'dad', 'brother', 'sister', 'son', 'daughter', 'grandmother', 'grandfather']);
// Before a diagnosis, these make the sentence a story about it rather than a diagnosis stated.
const NARRATIVE = new Set(['he', 'she', 'they', 'i', 'we', 'you', 'it', 'patient', 'pt', 'his', 'her', 'their', 'my', 'is', 'was', 'are', 'were', 'has', 'had', 'have', 'having', 'shows', 'showed', 'reveals', 'revealed', 'from', 'after', 'since', 'because', 'to', 'which', 'that', 'reports', 'says', 'states', 'feels', 'any', 'than', 'if', 'when', 'x-ray', 'scan', 'ct', 'mri', 'ultrasound']);
// "Number one, …", "1.", "#2", "Problem two:": how a problem list opens each entry.
const LIST_MARKER = /^(?:(?:number|no\.?|problem|issue|#)\s*)?(?:\d+|one|two|three|four|five|first|second|third|fourth|fifth)\b[.):,]?\s*/u;
const CLAUSE_BREAK = /^\s*(?:[,;:]|\s[-–—])\s*/u;

/**
 * How strongly the diagnoses of a sentence say Assessment. A diagnosis that opens the sentence
 * ("Acute otitis media, left.", "Number two, atrial fibrillation, rate controlled.") is one
 * stated; one inside a story counts a little; one in the patient's background not at all. A
 * diagnosis used as a label before something else ("Hypertension, continue lisinopril.") counts
 * a little, so the rest of the sentence decides.
 */
function diagnosisWeight(text: string, sections: CompiledSection[], role: number): number {
  const opening = text.replace(LIST_MARKER, '');
  const offset = text.length - opening.length;
  let best = 0;
  for (const mention of findDiagnoses(text)) best = Math.max(best, mentionWeight(text, opening, offset, mention, sections, role));
  return best;
}

function mentionWeight(text: string, opening: string, offset: number, mention: DiagnosisMention, sections: CompiledSection[], role: number): number {
  // A diagnosis inside the list marker itself ("No. 1") says little.
  if (mention.index < offset) return 1;
  const before = opening.slice(0, mention.index - offset).match(/[\p{L}\p{N}][\p{L}\p{N}'/-]*/gu) ?? [];
  if (before.slice(-3).some((word) => BACKGROUND.has(word))) return 0;
  if (before.length > 4 || before.some((word) => NARRATIVE.has(word))) return 1;
  const rest = text.slice(mention.end);
  const clause = CLAUSE_BREAK.exec(rest);
  if (clause) {
    const scores = cueScores(rest.slice(clause[0].length), sections);
    const top = Math.max(...scores);
    if (top >= 2 && scores[role] < top) return 1;
  }
  return 3;
}

const SPOKEN_NUMBER = '(?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several|a couple of)';
const FUTURE = new RegExp(
  `\\b(?:in|after|within) ${SPOKEN_NUMBER} (?:days?|weeks?|months?|years?|hours?)\\b|\\b(?:next|the next|at the next) (?:week|month|visit|appointment|review)\\b|\\b(?:tomorrow|tonight|later today|this afternoon|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\\b`,
  'u',
);
// A test named without a result ("CT KUB.", "Ultrasound Doppler tomorrow.") is being ordered;
// with one ("Urinalysis shows …", "TSH 8.9") it is a finding.
const INVESTIGATION = /\b(?:mri|ct|x-ray|xray|ultrasound|doppler|scan|echo|echocardiogram|ecg|ekg|bloods|blood tests?|fbc|cbc|u&e|lfts?|tsh|hba1c|a1c|lipid panel|lipids|urine culture|msu|swab|biopsy|endoscopy|colonoscopy|spirometry)\b/u;
// "Patient to return …", "Mother to bring him back if …", "Come back if …": what is to happen next.
const TO_DO = /^(?:[\p{L}.]+\s+){0,2}to (?:return|bring|come|call|attend|see|book|take|use|apply|continue|start|stop|keep|avoid|rest|monitor|check|follow|collect|phone|contact|seek|go)\b|\b(?:come back|comes back|bring \w+ back|return|call|seek|attend|go to|phone|ring)\b.*\bif\b/u;
const DOSING = /\bevery (?:few |couple of |\d+ |one |two |three |four |six |eight |twelve )?(?:minutes|hours)\b|\bq\d+h\b/u;
const RESULT = /\d|\b(?:shows?|showed|shown|reveals?|revealed|demonstrates?|confirm(?:s|ed)|normal|abnormal|unremarkable|positive|negative|raised|elevated|low|high|clear|came back|was|were|is|are)\b/u;
// "for four days", "x3 days", "for the past month": how long a complaint has lasted (with no
// drug in the sentence, which would make it a course of treatment).
const DURATION = new RegExp(`\\b(?:for|x)\\s?(?:the (?:past|last) )?${SPOKEN_NUMBER}\\s?(?:days?|weeks?|months?|years?|hours?)\\b`, 'u');
const BLOOD_PRESSURE = /\b\d{2,3}\s*(?:\/|over)\s*\d{2,3}\b/u;
const AGE_AND_SEX = /^(?:(?:a|an|this)\s+)?\d{1,3}\s?(?:yo|y\/o|yr|f|m|year)\b/u;
// "She is using her inhaler four times a day", "He reports checking his sugars twice a day": the
// patient as the subject of what they do is their story, however much it sounds like a plan.
const PATIENT_STORY =
  /^(?:she|he|they|the patient|patient|pt|mum|mom|dad|mother|father)\s+(?!(?:looks|appears|seems|should|will|would|can|could|must|needs|agrees|agreed|wants|wishes)\b)(?:is|was|has|had|have|took|ran|got|went|felt|'s|\w+(?:s|ed))\b(?!\s+(?:to|advised|given|told|instructed|referred|prescribed|started|booked|asked|going to|agreeable|happy to|keen to|seen|reviewed|examined)\b)/u;
// "She appears tired", "He looks unwell": the clinician's observation, not the patient's story.
const OBSERVED = /^(?:she|he|they|the patient|patient|pt|the child|child|baby)\s+(?:appears|looks|seems|is alert|was alert)\b/u;
// "Paracetamol does little.", "Ibuprofen helped.": a drug that did something is history.
const DRUG_STORY = /^[\p{L}-]+\s+(?:does|did|doesn't|didn't|do|helps|helped|has|had|is|was|works|worked|makes|made|gives|gave|caused|causes|upsets|upset)\b/u;

/** Signals beyond the template's cue words: the vocabulary and shapes of each role. */
function roleScores(text: string, template: CompiledTemplate, scores: number[]): void {
  const { roles, sections } = template;
  if (roles.assessment !== undefined) scores[roles.assessment] += diagnosisWeight(text, sections, roles.assessment);
  if (roles.objective !== undefined && (BLOOD_PRESSURE.test(text) || OBSERVED.test(text))) scores[roles.objective] += 2;
  // The patient's story goes to the story section (SOAP's Subjective, the H&P's HPI) unless a
  // more particular history section of the template (allergies, social history…) has cues.
  const particular = scores.some((score, i) => score > 0 && !Object.values(roles).includes(i));
  const story = PATIENT_STORY.test(text);
  const subjective = particular ? undefined : roles.subjective;
  if (subjective !== undefined && AGE_AND_SEX.test(text)) scores[subjective] += 2;
  if (subjective !== undefined && story) scores[subjective] += 2;
  // "Penicillin allergy": a drug the patient must not have is history, not an order.
  const drugs = /allerg/.test(text) ? [] : groundingTerms(text).filter((t) => t.kind === 'drug');
  if (subjective !== undefined && !drugs.length && DURATION.test(text)) scores[subjective] += 1;
  const drugStory = drugs.length > 0 && text.startsWith(drugs[0].term) && DRUG_STORY.test(text);
  if (subjective !== undefined && drugStory) scores[subjective] += 2;
  if (roles.plan !== undefined && !story && !drugStory) {
    if (FUTURE.test(text)) scores[roles.plan] += 2;
    if (TO_DO.test(text)) scores[roles.plan] += 2;
    if (DOSING.test(text)) scores[roles.plan] += 1;
    if (INVESTIGATION.test(text) && !RESULT.test(text)) scores[roles.plan] += 2;
    // A sentence that opens with a drug ("Amoxicillin 1 g three times a day.") is an order.
    if (drugs.length) scores[roles.plan] += text.startsWith(drugs[0].term) ? 2 : 1;
  }
}

/**
 * Which section a dictated sentence belongs to: a spoken heading wins, then the section whose
 * cues and signals (a diagnosis for Assessment, a blood pressure for Objective, a drug or a
 * date ahead for Plan) say most; with nothing at all the sentence stays where the dictation
 * already was, since clinicians dictate section by section.
 */
export function classifySentence(sentence: string, template: NoteTemplate, previous?: string): string {
  const compiledTemplate = compile(template);
  const { sections, roles } = compiledTemplate;
  const text = sentence.toLowerCase().replace(/\s+/g, ' ').trim();
  const heading = sections.find((s) => s.header.test(text));
  if (heading) return heading.id;
  for (const [role, index] of Object.entries(roles) as Array<[SectionRole, number]>) if (ROLE_HEADING[role].test(text)) return sections[index].id;
  const scores = cueScores(text, sections);
  roleScores(text, compiledTemplate, scores);
  const top = Math.max(...scores);
  if (top === 0) return previous ?? sections[0].id;
  const tied = sections.filter((_, i) => scores[i] === top).map((s) => s.id);
  if (previous && tied.includes(previous)) return previous;
  // Dictation moves forward through the template, so a tie goes to the next section on.
  const from = Math.max(0, sections.findIndex((s) => s.id === previous));
  return tied.find((id) => sections.findIndex((s) => s.id === id) >= from) ?? tied[0];
}

/** An empty note with the template's sections. */
export function emptyNote(template: NoteTemplate): ClinicalNote {
  return { template: template.id, title: template.title, sections: template.sections.map((s) => ({ id: s.id, title: s.title, items: [] })) };
}

/**
 * The instant draft: files each sentence of a final segment into a section, with no model, so
 * the note appears the moment the clinician pauses. Returns the new items with their section.
 * A sentence addressed to the note-taker or the model is filed where it would otherwise go,
 * marked `instruction` and never carried out; it does not move the dictation to another section.
 */
export function draftItems(segment: TranscriptSegment, template: NoteTemplate, previousSection?: string): Array<{ sectionId: string; item: NoteItem }> {
  let previous = previousSection;
  return splitSentences(segment.text).map((sentence, index) => {
    const sectionId = classifySentence(sentence, template, previous);
    const item: NoteItem = { id: `draft:${segment.id}:${index}`, text: sentence, sources: [segment.id], origin: 'draft', locked: false };
    if (isDictatedInstruction(sentence)) item.instruction = true;
    else previous = sectionId;
    return { sectionId, item };
  });
}

export { splitSentences };

import type { TranscriptSegment } from '../audio/transcript-store.js';
import { findDiagnoses, type DiagnosisMention } from './diagnosis-vocabulary.js';
import { isDictatedInstruction } from './dictated-instructions.js';
import { drugName } from './drug-names.js';
import { groundingTerms } from './grounding.js';
import { sentenceId, splitSentences } from './sentences.js';
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
  subjective: ['s', 'subj', 'hpi', 'history', 'hx', 'cc', 'c/o', 'complaint', 'presenting complaint', 'pc', 'hpc', 'ros', 'se', 'systems review', 'pmh', 'pmhx', 'psh', 'meds', 'medications', 'dh', 'drug history', 'allergies', 'sh', 'social history', 'social', 'fh', 'family history', 'ice', 'reason for visit', 'reason for attendance', 'interval history', 'background'],
  objective: ['o', 'obj', 'exam', 'examination', 'on exam', 'on examination', 'o/e', 'oe', 'pe', 'physical exam', 'vitals', 'vital signs', 'obs', 'observations', 'labs', 'bloods', 'results', 'investigations', 'imaging',
    // A test named as a heading ("ECG: sinus rhythm", "CXR: clear") gives its result.
    'ecg', 'ekg', 'cxr', 'x-ray', 'xr', 'ct', 'ct head', 'mri', 'us', 'uss', 'ultrasound', 'echo', 'urine dip', 'urinalysis', 'ua', 'dip', 'bm', 'cbg', 'abg', 'vbg', 'fbc', 'cbc', 'bmp', 'cmp', 'u&e', 'u&es', 'lfts', 'gen', 'general', 'chest', 'cvs', 'resp', 'abdo', 'abdomen', 'neuro', 'msk', 'skin', 'ent', 'ms', 'mse'],
  assessment: ['a', 'a/p', 'a&p', 'imp', 'impression', 'dx', 'ddx', 'diagnosis', 'diagnoses', 'differential', 'differentials', 'problem', 'problems', 'problem list', 'working diagnosis', 'clinical impression', 'summary', 'opinion'],
  plan: ['p', 'rx', 'tx', 'treatment', 'management', 'mgmt', 'disposition', 'dispo', 'f/u', 'fu', 'follow up', 'follow-up', 'recommendations', 'recs', 'orders', 'advice', 'next steps', 'r/v', 'review', 'safety net', 'safety netting', 'sn', 'actions', 'action', 'to do'],
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
const BACKGROUND_AFTER = /^\s*(?:since\b|diagnosed\b|dx\b|for (?:\d+|many|several|a few|some) (?:years?|yrs?|months?)\b|x ?\d+ ?(?:years?|yrs?)\b|,?\s*(?:known|previously|in the past)\b)/u;
const TREATMENT = /^(?:treatment|medication|medications|meds|tablets|inhalers|insulin|dialysis|oxygen|hrt|thyroxine|diet)$/;
/** "T2DM on metformin", "AF on apixaban", "COPD on inhalers": a condition named with its treatment is background. */
function onTreatment(rest: string): boolean {
  const next = /^\s*on\s+([\p{L}-]+)/u.exec(rest)?.[1];
  return !!next && (TREATMENT.test(next) || !!drugName([next], 0));
}
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
  // "T2DM on metformin", "AF since 2019", "HTN dx 2015": the patient's background, named first.
  if (BACKGROUND_AFTER.test(rest) || onTreatment(rest)) return 0;
  const clause = CLAUSE_BREAK.exec(rest);
  if (clause) {
    const scores = cueScores(rest.slice(clause[0].length), sections);
    const top = Math.max(...scores);
    if (top >= 2 && scores[role] < top) return 1;
  }
  return 3;
}

// "2", "6-8", "two", "a couple of"; and the units clinicians write short ("3 wks", "2 mo").
const SPOKEN_NUMBER = '(?:\\d+(?:\\s?[-–]\\s?\\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several|a couple of)';
const TIME_UNIT = '(?:days?|weeks?|wks?|months?|mo|mos|mths?|years?|yrs?|hours?|hrs?)';
// "2/7", "3/52", "6/12": days, weeks and months as British notes write them.
const FRACTION_TIME = '\\d{1,2}\\/(?:7|52|12)';
const FUTURE = new RegExp(
  `\\b(?:in|after|within) (?:${SPOKEN_NUMBER} ?${TIME_UNIT}|${FRACTION_TIME})(?![\\p{L}\\p{N}])(?! ago)|\\b(?:next|the next|at the next) (?:week|month|visit|appointment|review)\\b|\\b(?:tomorrow|tonight|later today|this afternoon|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\\b`,
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
const DURATION = new RegExp(`\\b(?:for|x)\\s?(?:the (?:past|last) )?(?:${SPOKEN_NUMBER}\\s?${TIME_UNIT}|${FRACTION_TIME})(?![\\p{L}\\p{N}])|^(?:${SPOKEN_NUMBER} ?${TIME_UNIT}|${FRACTION_TIME})\\b|\\b(?:${SPOKEN_NUMBER} ?${TIME_UNIT}|${FRACTION_TIME}) (?:ago|hx|history)\\b`, 'u');
const BLOOD_PRESSURE = /\b\d{2,3}\s*(?:\/|over)\s*\d{2,3}\b/u;
const AGE_AND_SEX = /^(?:(?:a|an|this)\s+)?\d{1,3}\s?(?:yo|y\/o|yr|f|m|year)\b/u;
// "She is using her inhaler four times a day", "He reports checking his sugars twice a day": the
// patient as the subject of what they do is their story, however much it sounds like a plan.
const PATIENT_STORY =
  /^(?:she|he|they|the patient|patient|pt|mum|mom|dad|mother|father)\s+(?!(?:looks|looked|appears|appeared|seems|seemed|should|will|would|can|could|must|needs|agrees|agreed|wants|wishes)\b)(?:is|was|has|had|have|took|ran|got|went|felt|hurt|fell|hit|cut|put|came|began|woke|caught|broke|bent|lost|left|saw|ate|drank|slept|thought|knew|said|told|kept|lay|sat|stood|spent|tore|'s|\w+(?:s|ed))\b(?!\s+(?:to|advised|given|told|instructed|referred|prescribed|started|booked|asked|going to|agreeable|happy to|keen to|seen|reviewed|examined)\b)/u;
// "She appears tired", "He looks unwell": the clinician's observation, not the patient's story.
const OBSERVED = /^(?:she|he|they|the patient|patient|pt|the child|child|baby)\s+(?:appears|appeared|looks|looked|seems|seemed|is alert|was alert)\b/u;
// "Checks BP at home", "Twisted L knee skiing", "Takes metformin": a note that leaves out "he"
// opens the patient's story with its verb; orders open with the bare verb ("Check", "Take").
const STORY_VERB_FIRST =
  /^(?:checks|takes|uses|lives|works|drinks|smokes|vapes|gets|finds|notes|noticed|describes|mentions|admits|wakes|woke|sleeps|eats|went|twisted|fell|slipped|tripped|developed|injured|hurt|banged|landed|felt|feels|reports|reported|denies|denied|complains|complained|tried|has had|had|been|ran out|missed|stopped taking|finished|returned from|travelled|traveled)\b/u;
// "Paracetamol does little.", "Ibuprofen helped.": a drug that did something is history.
const DRUG_STORY = /^[\p{L}-]+\s+(?:does|did|doesn't|didn't|do|helps|helped|has|had|is|was|works|worked|makes|made|gives|gave|caused|causes|upsets|upset)\b/u;

// "Treat all contacts", "Wash bedding at 60 degrees", "Keep the ear dry": an order opens with
// its verb. ("Discharge", "Change", "Cut" are left out: they open complaints as often.)
const IMPERATIVE_FIRST =
  /^(?:treat|wash|take|use|apply|keep|drink|stay|allow|aim|try|swap|reduce|add|commence|restart|resume|withhold|omit|hold|give|encourage|chase|inform|ensure|liaise|organise|organize|obtain|send|request|repeat|recheck|check|book|arrange|refer|review(?! of)|consider|start|stop|continue|increase|decrease|wean|titrate|offer|provide|advise|explain|reassure|admit|observe|monitor|escalate|prescribe|issue|await|avoid|remove|insert|irrigate|dress|elevate)\b/u;
// "I gave him a fit note", "We have referred her", "I've listed her for ablation": what the
// clinician did in the visit is the plan.
const CLINICIAN_DID =
  /^(?:i|we)\s+(?:have\s+|'ve\s+|also\s+)?(?:gave|given|listed|referred|prescribed|started|arranged|booked|sent|requested|ordered|advised|explained|reassured|discussed|offered|increased|decreased|stopped|changed|switched|recommended|suggested|organised|organized|added|issued|written|wrote|asked (?:him|her|them) to|told (?:him|her|them) to)\b/u;
// "?UTI", "? scaphoid fracture": a question mark before a name is a working diagnosis.
const QUERIED = /(?:^|[\s(,])\?\s?\p{L}/u;

/** Signals beyond the template's cue words: the vocabulary and shapes of each role. */
function roleScores(text: string, template: CompiledTemplate, scores: number[]): void {
  const { roles, sections } = template;
  if (roles.assessment !== undefined) scores[roles.assessment] += diagnosisWeight(text, sections, roles.assessment) + (QUERIED.test(text) ? 2 : 0);
  if (roles.objective !== undefined && (BLOOD_PRESSURE.test(text) || OBSERVED.test(text))) scores[roles.objective] += 2;
  // The patient's story goes to the story section (SOAP's Subjective, the H&P's HPI) unless a
  // more particular history section of the template (allergies, social history…) has cues.
  const particular = scores.some((score, i) => score > 0 && !Object.values(roles).includes(i));
  const story = PATIENT_STORY.test(text);
  const subjective = particular ? undefined : roles.subjective;
  if (subjective !== undefined && AGE_AND_SEX.test(text)) scores[subjective] += 2;
  if (subjective !== undefined && (story || STORY_VERB_FIRST.test(text))) scores[subjective] += 2;
  // "Penicillin allergy": a drug the patient must not have is history, not an order.
  const drugs = /allerg/.test(text) ? [] : groundingTerms(text).filter((t) => t.kind === 'drug');
  if (subjective !== undefined && !drugs.length && DURATION.test(text)) scores[subjective] += 1;
  const drugStory = drugs.length > 0 && text.startsWith(drugs[0].term) && DRUG_STORY.test(text);
  if (subjective !== undefined && drugStory) scores[subjective] += 2;
  if (roles.plan !== undefined && !story && !drugStory) {
    if (FUTURE.test(text)) scores[roles.plan] += 2;
    if (TO_DO.test(text) || IMPERATIVE_FIRST.test(text) || CLINICIAN_DID.test(text)) scores[roles.plan] += 2;
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
    const item: NoteItem = { id: `draft:${segment.id}:${index}`, text: sentence, sources: [segment.id], sentences: [sentenceId(segment.id, index)], origin: 'draft', locked: false };
    if (isDictatedInstruction(sentence)) item.instruction = true;
    else previous = sectionId;
    return { sectionId, item };
  });
}

export { splitSentences };

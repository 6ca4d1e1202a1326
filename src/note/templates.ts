import { SlmError } from '../errors/slm-error.js';
import type { NoteSectionTemplate, NoteTemplate } from './note-types.js';

// Cue lists are what clinicians actually say while dictating; the draft accuracy test in
// test/note/draft-structurer.test.ts measures them against labelled dictations.
const SUBJECTIVE = ['complains', 'complaint', 'complaining', 'reports', 'reported', 'states', 'says', 'feels', 'feeling', 'felt', 'since', 'for the past', 'started', 'began', 'history', 'denies', 'denied', 'worse', 'better', 'patient is a', 'year old', 'year-old', 'presents', 'presenting', 'symptoms', 'noticed', 'has been', 'worried', 'sleep', 'appetite', 'taking', 'takes', 'allergic', 'allergy', 'allergies', 'smokes', 'drinks', 'chief complaint', 'subjective', 'here for', 'comes in', 'cough', 'fever', 'nausea', 'vomiting', 'dizzy', 'dizziness', 'headache', 'headaches', 'tired', 'fatigue', 'short of breath', 'itchy', 'itching', 'c/o', 'hx', 'h/o', 'pmh', 'known', 'nkda', 'no known', 'ago', 'yesterday', 'last night', 'this morning', 'last week', 'tells', 'telling', 'told me', 'mum says', 'mom says', 'per mum', 'per mom', 'onset', 'intermittent', 'radiating', 'radiates', 'hurts', 'tried', 'over the counter', 'ran out', 'missed', 'mood', 'low mood', 'stress', 'diarrhea', 'diarrhoea', 'constipation', 'palpitations', 'chills', 'sweats', 'weight loss', 'breathless', 'breathlessness', 'is using', 'is having', 'came for', 'came in', 'attends for', 'attended', 'wakes', 'waking', 'woke', 'fhx', 'family history', 'tolerating', 'bowels', 'home readings', 'home bp', 'ex-smoker', 'non-smoker', 'lives', 'works as', 'units a week', 'units per week', 'lmp', 'no change', 'ice', 'concerned', 'concerns', 'expectations', 'wants'];
const OBJECTIVE = ['blood pressure', 'bp', 'heart rate', 'pulse', 'temperature', 'temp', 'respiratory rate', 'saturation', 'sats', 'oxygen', 'weight', 'weighs', 'bmi', 'on examination', 'on exam', 'exam', 'examination', 'auscultation', 'lungs', 'chest is', 'abdomen', 'tender', 'tenderness', 'soft', 'clear', 'murmur', 'rash', 'swelling', 'appears', 'looks', 'alert', 'oriented', 'afebrile', 'febrile', 'labs', 'hemoglobin', 'glucose', 'x-ray', 'ecg', 'ekg', 'ultrasound', 'mmhg', 'bpm', 'degrees', 'objective', 'vitals', 'vital signs', 'palpation', 'range of motion', 'reflexes', 'hr', 'rr', 'spo2', 'sao2', 'o2 sat', 'room air', 'on air', 'gcs', 'erythema', 'erythematous', 'swollen', 'edema', 'oedema', 'crackles', 'wheezes', 'breath sounds', 'heart sounds', 'bowel sounds', 'nontender', 'non-tender', 'unremarkable', 'normal', 'no acute distress', 'distress', 'well-appearing', 'well appearing', 'tearful', 'affect', 'eye contact', 'normal speech', 'pupils', 'cranial nerves', 'gait', 'capillary refill', 'tympanic membrane', 'pharynx', 'tonsils', 'palpable', 'effusion', 'phq-9', 'gad-7', 'mmse', 'moca', 'peak flow', 'urine dip', 'dipstick', 'shows', 'showed', 'revealed', 'positive', 'ttp', 'limp', 'limping', 'antalgic', 'pale', 'pallor', 'mucosa', 'mucous membranes', 'inflamed', 'bulging', 'exudate', 'deformity', 'crepitus', 'nystagmus', 'stridor', 'guarding', 'distended', 'jaundiced', 'clubbing', 'lymph nodes', 'intact', 'haemoglobin', 'hb', 'mcv', 'ferritin', 'egfr', 'creatinine', 'urea', 'crp', 'esr', 'wcc', 'wbc', 'neutrophils', 'platelets', 'sodium', 'potassium', 'inr', 'troponin', 'acr', 'ldl', 'alt', 'bilirubin', 'lactate', 'pco2', 'po2', 'ketones', 'nitrites', 'leucocytes', 'leukocytes', 'present', 'absent', 'reducible', 'impulse', 'patch', 'patches', 'plaque', 'plaques', 'papule', 'papules', 'macule', 'macules', 'vesicles', 'pustules', 'nodule', 'lesion', 'lesions', 'distribution', 'excoriated', 'excoriation', 'lichenification', 'scaling', 'conjunctivae', 'sclera', 'apyrexial', 'pyrexial', 'tachycardic', 'bradycardic', 'tachypnoeic', 'tachypneic', 'hypotensive', 'hypertensive', 'clammy', 'diaphoretic', 'snt', 'nad', 'perrl', 'perrla', 'hs i+ii', 'air entry', 'percussion', 'resonant', 'dull', 'sinus rhythm', 'st elevation', 'st depression', 'consolidation', 'opacity', 'unable to examine', 'not examined', 'examination not possible'];
const ASSESSMENT = ['assessment', 'impression', 'diagnosis', 'diagnosed', 'likely', 'most likely', 'consistent with', 'suggestive of', 'suspect', 'suspected', 'differential', 'probably', 'rule out', 'think this is', 'i think', 'appears to be', 'exacerbation', 'uncontrolled', 'well controlled', 'stable', 'looks like', 'sounds like', 'in keeping with', 'compatible with', 'secondary to', 'controlled', 'poorly controlled', 'suboptimal', 'suboptimally', 'at goal', 'at target', 'improving', 'resolving', 'resolved', 'working diagnosis', 'possible', 'possibly', 'unlikely', 'ruled out', 'red flags', 'r/o', 'query', 'curb-65', 'curb65', 'feverpain', 'centor', 'cha2ds2-vasc', 'has-bled', 'qrisk', 'ottawa', 'differentials', 'c/w', 'likely viral', 'probable', 'presumed', 'impression', 'not at goal', 'above target', 'worsening', 'deteriorating', 'supratherapeutic', 'subtherapeutic', 'suggests', 'points to', 'favour', 'favor', 'favoured', 'favored', 'fits with', 'in keeping', 'picture of'];
// No "at night" in Plan: it says when a symptom comes as often as when a dose is due.
const PLAN = ['plan', 'start', 'starting', 'prescribe', 'prescribed', 'continue', 'stop', 'discontinue', 'increase', 'decrease', 'refer', 'referral', 'follow up', 'follow-up', 'return', 'come back', 'order', 'ordered', 'schedule', 'recommend', 'recommended', 'advise', 'advised', 'counsel', 'counseled', 'will', 'we will', "we'll", 'check', 'repeat', 'recheck', 'twice daily', 'once daily', 'daily', 'at bedtime', 'as needed', 'in two weeks', 'education', 'next visit', 'giving', 'give', 'prescription', 'script', 'rtc', 'f/u', 'bid', 'tid', 'qid', 'bd', 'tds', 'qds', 'prn', 'qhs', 'nocte', 'times a day', 'twice a day', 'once a day', 'for comfort', 'discussed', 'agreed', 'try', 'trial', 'therapy', 'physio', 'physiotherapy', 'physical therapy', 'to be checked', 'to be repeated', 'to be reviewed', 'if not', 'if worse', 'if symptoms', 'if any', 'safety net', 'safety-netting', 'precautions', 'rest', 'fluids', 'ice', 'elevation', 'avoid', 'encourage', 'encouraged', 'monitor', 'admit', 'discharge', 'consult', 'arrange', 'arranged', 'book', 'booked', 'send', 'apply', 'cream', 'ointment', 'course of', 'taper', 'titrate', 'switch', 'hold', 'review', 'vaccine', 'vaccination', 'immunisation', 'immunization', 'flu shot', 'flu jab', 'performed', 'as tolerated', 'as able', 'weight bear', 'weight bearing', 'crutches', 'sling', 'splint', 'brace', 'reduction', 'backslab', 'cast', 'plaster', 'sutured', 'sutures', 'stitches', 'drainage', 'incision', 'no driving', 'no heavy lifting', 'advice', 'given', 'provided', 'explained', 'reassured', 'offered', 'sent', 'counselled', 'leaflet', 'safety netted', 'safety-netted', 'safety netting', 'reassurance', 'emollient', 'emollients', 'r/v', 'tci', 'nbm', 'stat', 'requested', 'request', 'ref', 're-refer', 'rtc', 'to see', 'to return', 'to call', 'to attend', 'to have', 'to start', 'to continue', 'to stop', 'to book', 'to monitor', 'to repeat', 'to discuss', 'to contact', 'will', 'consider', 'escalate', 'dvla', 'sleep hygiene', 'lifestyle advice', 'dietary advice', 'f2f', 'face to face', 'fit note', 'sick note', 'if worsening', 'if no better', 'if no improvement', 'if not improving', 'if persists', 'if persisting', 'if concerned', 'if new', 'if develops', 'if unwell', 'if needed', 'if required'];

const section = (id: string, title: string, description: string, cues: string[]): NoteSectionTemplate => ({ id, title, description, cues });

export const SOAP_TEMPLATE: NoteTemplate = {
  id: 'soap',
  title: 'SOAP note',
  loinc: { code: '11506-3', display: 'Progress note' },
  sections: [
    section('subjective', 'Subjective', 'What the patient reports: complaint, history of the present illness, symptoms, relevant history, current medications and allergies as told.', SUBJECTIVE),
    section('objective', 'Objective', 'What the clinician measured or observed: vital signs, examination findings, test results.', OBJECTIVE),
    section('assessment', 'Assessment', "The clinician's impression: diagnoses, differential, how the problem is evolving.", ASSESSMENT),
    section('plan', 'Plan', 'What happens next: medications started, changed or stopped, tests ordered, referrals, advice, follow-up.', PLAN),
  ],
};

export const HISTORY_AND_PHYSICAL_TEMPLATE: NoteTemplate = {
  id: 'history-physical',
  title: 'History & Physical',
  loinc: { code: '34117-2', display: 'History and physical note' },
  sections: [
    section('chief-complaint', 'Chief complaint', 'The reason for the visit, in a few words.', ['chief complaint', 'here for', 'comes in for', 'presents with', 'presenting with', 'reason for']),
    section('hpi', 'History of present illness', 'The story of the current problem: onset, course, character, what makes it better or worse.', ['since', 'started', 'began', 'for the past', 'worse', 'better', 'denies', 'reports', 'complains', 'feels', 'noticed', 'has been', 'episodes', 'pain']),
    section('past-history', 'Past medical history', 'Earlier illnesses, operations and conditions.', ['history of', 'past medical', 'diagnosed with', 'surgery', 'operation', 'years ago', 'previous', 'previously', 'known']),
    section('medications', 'Medications', 'What the patient takes now, with doses.', ['takes', 'taking', 'medication', 'medications', 'on', 'mg', 'milligrams', 'tablet', 'tablets', 'inhaler']),
    section('allergies', 'Allergies', 'Drug and other allergies, with reactions.', ['allergy', 'allergies', 'allergic', 'reaction', 'no known']),
    section('social-history', 'Social history', 'Smoking, alcohol, work, home and activity.', ['smokes', 'smoking', 'smoker', 'alcohol', 'drinks', 'works', 'lives', 'exercise', 'pack years']),
    section('family-history', 'Family history', 'Illnesses in the family.', ['mother', 'father', 'sister', 'brother', 'family history', 'runs in the family']),
    section('review-of-systems', 'Review of systems', 'Symptoms asked about by body system, present or absent.', ['review of systems', 'no fever', 'no chest pain', 'no shortness', 'negative for']),
    section('physical-exam', 'Physical examination', 'Vital signs and examination findings.', OBJECTIVE),
    section('assessment', 'Assessment', 'Diagnoses and differential.', ASSESSMENT),
    section('plan', 'Plan', 'Treatment, tests, referrals, follow-up.', PLAN),
  ],
};

export const PROGRESS_NOTE_TEMPLATE: NoteTemplate = {
  id: 'progress',
  title: 'Progress note',
  loinc: { code: '11506-3', display: 'Progress note' },
  sections: [
    section('interval-history', 'Interval history', 'What changed since the last visit, as the patient tells it.', SUBJECTIVE),
    section('examination', 'Examination', 'Vital signs and findings today.', OBJECTIVE),
    section('results', 'Results', 'New laboratory, imaging and other results.', ['results', 'result', 'labs', 'came back', 'showed', 'shows', 'level', 'levels', 'hba1c', 'a1c', 'cholesterol', 'creatinine', 'scan', 'x-ray', 'mri', 'ct']),
    section('assessment', 'Assessment', 'How each problem is evolving.', ASSESSMENT),
    section('plan', 'Plan', 'Changes to treatment, tests, follow-up.', PLAN),
  ],
};

/** The templates the `template` attribute knows by name. */
export const BUILT_IN_TEMPLATES: Readonly<Record<string, NoteTemplate>> = {
  soap: SOAP_TEMPLATE,
  'history-physical': HISTORY_AND_PHYSICAL_TEMPLATE,
  hp: HISTORY_AND_PHYSICAL_TEMPLATE,
  progress: PROGRESS_NOTE_TEMPLATE,
};

const SECTION_ID = /^[A-Za-z][\w-]{0,63}$/;

/**
 * A template from a built-in name, a JSON string, or an object. Custom templates are checked
 * here, once, so a typo fails with a message that names the field instead of a broken note.
 */
export function resolveTemplate(value: string | NoteTemplate | null | undefined): NoteTemplate {
  if (value === null || value === undefined || value === '') return SOAP_TEMPLATE;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!trimmed.startsWith('{')) {
      const builtIn = BUILT_IN_TEMPLATES[trimmed.toLowerCase()];
      if (!builtIn) throw new SlmError('invalid-template', `Unknown note template “${trimmed}”. Use ${Object.keys(BUILT_IN_TEMPLATES).join(', ')} or a JSON template.`);
      return builtIn;
    }
    try {
      return checkTemplate(JSON.parse(trimmed));
    } catch (error) {
      if (error instanceof SlmError) throw error;
      throw new SlmError('invalid-template', `The note template is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  return checkTemplate(value);
}

function checkTemplate(value: unknown): NoteTemplate {
  const fail = (why: string): never => {
    throw new SlmError('invalid-template', `The note template is not usable: ${why}.`);
  };
  if (!value || typeof value !== 'object') fail('it must be an object with a "sections" array');
  const { id, title, sections, loinc } = value as Partial<NoteTemplate>;
  if (!Array.isArray(sections) || sections.length === 0) fail('"sections" must be a non-empty array');
  const seen = new Set<string>();
  const checked = sections!.map((s, i): NoteSectionTemplate => {
    if (!s || typeof s !== 'object') fail(`section ${i + 1} must be an object`);
    if (typeof s.id !== 'string' || !SECTION_ID.test(s.id)) fail(`section ${i + 1} needs an "id" of letters, digits, "-" or "_"`);
    if (seen.has(s.id)) fail(`section id "${s.id}" appears twice`);
    seen.add(s.id);
    if (s.cues !== undefined && (!Array.isArray(s.cues) || s.cues.some((c) => typeof c !== 'string'))) fail(`"cues" of section "${s.id}" must be an array of strings`);
    return { id: s.id, title: typeof s.title === 'string' && s.title ? s.title : s.id, description: typeof s.description === 'string' ? s.description : '', cues: s.cues };
  });
  return { id: typeof id === 'string' && id ? id : 'custom', title: typeof title === 'string' && title ? title : 'Clinical note', sections: checked, loinc };
}

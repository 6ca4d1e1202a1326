/**
 * Names of diagnoses, so that the instant draft can file a diagnosis dictated without a cue
 * word ("Community-acquired pneumonia of the left lower lobe.") under Assessment.
 *
 * The list follows the chapters of ICD-10-CM, the US clinical modification of ICD-10 kept by the
 * CDC's National Center for Health Statistics: a US government work, so its titles are in the
 * public domain (WHO's own ICD-10 and ICD-11 may not be redistributed in adapted form). It keeps
 * the everyday names clinicians say for the common conditions of each chapter, not the code
 * titles themselves, which are too long to be spoken. Chapter 18 (R00–R99: symptoms, signs and
 * abnormal findings such as cough, fever, edema or lymphadenopathy) is left out on purpose: those
 * are what the patient reports and the clinician finds, and belong to Subjective and Objective.
 * Word shapes (-itis, -osis, "… syndrome", "fracture of …") catch the names the list misses.
 */
const CONDITIONS = [
  // 1. Infections (A00–B99)
  'sepsis', 'septicemia', 'tuberculosis', 'influenza', 'covid', 'covid-19', 'hiv', 'shingles', 'herpes zoster', 'cold sore', 'chickenpox', 'measles', 'mumps', 'scabies', 'head lice', 'impetigo',
  'mononucleosis', 'glandular fever', 'lyme disease', 'thrush', 'candidiasis', 'tinea', 'ringworm', "athlete's foot", 'warts', 'wart', 'molluscum', 'hand foot and mouth', 'strep throat', 'scarlet fever',
  'whooping cough', 'pertussis', 'threadworms', 'threadworm', 'pinworms', 'slapped cheek', 'roseola', 'viral exanthem', 'viral wheeze', 'insect bite', 'tick bite', 'dog bite', 'cat bite', 'human bite', 'norovirus', 'gastroenteritis', 'c diff', 'malaria', 'chlamydia', 'gonorrhea', 'gonorrhoea', 'syphilis', 'trichomoniasis', 'sti', 'std', 'viral illness',
  // 2. Neoplasms (C00–D49)
  'cancer', 'carcinoma', 'lymphoma', 'leukemia', 'leukaemia', 'melanoma', 'sarcoma', 'myeloma', 'tumor', 'tumour', 'neoplasm', 'malignancy', 'metastases', 'metastatic disease', 'lipoma', 'fibroids',
  // 3. Blood (D50–D89)
  'anemia', 'anaemia', 'thrombocytopenia', 'neutropenia', 'sickle cell', 'thalassemia', 'thalassaemia', 'hemophilia', 'haemophilia',
  // 4. Endocrine and metabolic (E00–E89)
  'diabetes', 'diabetes mellitus', 'type 1 diabetes', 'type 2 diabetes', 'type one diabetes', 'type two diabetes', 't1dm', 't2dm', 'dm2', 'niddm', 'prediabetes', 'pre-diabetes', 'hypothyroidism', 'hyperthyroidism',
  'goiter', 'goitre', 'obesity', 'morbid obesity', 'hyperlipidemia', 'hyperlipidaemia', 'dyslipidemia', 'dyslipidaemia', 'hypercholesterolemia', 'hypercholesterolaemia', 'high cholesterol', 'dehydration',
  'hypokalemia', 'hypokalaemia', 'hyperkalemia', 'hyperkalaemia', 'hyponatremia', 'hyponatraemia', 'hypernatremia', 'hypercalcemia', 'hypoglycemia', 'hypoglycaemia', 'pcos', 'metabolic syndrome', 'malnutrition',
  "cushing's", "addison's", 'hld', 'dka', 'hhs', 'iron deficiency', 'b12 deficiency', 'vitamin d deficiency',
  // 5. Mental and behavioural (F01–F99)
  'depression', 'depressive episode', 'major depressive disorder', 'mdd', 'generalized anxiety disorder', 'generalised anxiety disorder', 'gad', 'panic disorder', 'ptsd', 'bipolar disorder', 'bipolar',
  'schizophrenia', 'psychosis', 'anxiety', 'health anxiety', 'grief reaction', 'medication overuse headache', 'adhd', 'autism', 'dementia', 'delirium', 'insomnia', 'alcohol dependence', 'alcohol misuse', 'eating disorder', 'anorexia nervosa', 'bulimia', 'ocd', 'burnout',
  // 6. Nervous system (G00–G99)
  'migraine', 'migraines', 'tension headache', 'tension-type headache', 'cluster headache', 'epilepsy', 'seizure disorder', "parkinson's", "parkinson's disease", 'parkinsonism', 'multiple sclerosis',
  'sciatica', "bell's palsy", 'stroke', 'tia', 'transient ischemic attack', 'transient ischaemic attack', 'cva', 'sleep apnea', 'sleep apnoea', 'osa', 'narcolepsy', 'trigeminal neuralgia', 'meningitis',
  'restless legs', "alzheimer's", 'vasovagal syncope', 'reflex syncope', 'vasovagal', 'carpal tunnel', 'essential tremor', 'benign essential tremor',
  // 7–8. Eye, ear (H00–H95)
  'conjunctivitis', 'pink eye', 'stye', 'chalazion', 'cataract', 'cataracts', 'glaucoma', 'macular degeneration', 'otitis media', 'otitis externa', 'ear infection', "swimmer's ear", 'aom',
  'eustachian tube dysfunction', 'wax impaction', 'cerumen impaction', 'impacted wax', 'bppv', 'benign paroxysmal positional vertigo', 'labyrinthitis', "meniere's", 'hearing loss',
  // 9. Circulatory (I00–I99)
  'hypertension', 'htn', 'high blood pressure', 'atrial fibrillation', 'af', 'afib', 'a-fib', 'atrial flutter', 'heart failure', 'chf', 'hfref', 'hfpef', 'coronary artery disease', 'cad', 'ihd', 'angina',
  'myocardial infarction', 'mi', 'heart attack', 'nstemi', 'stemi', 'acs', 'svt', 'dvt', 'deep vein thrombosis', 'deep venous thrombosis', 'pulmonary embolism', 'pulmonary embolus', 'vte',
  'peripheral arterial disease', 'peripheral vascular disease', 'pvd', 'orthostatic hypotension', 'postural hypotension', 'hfmref', 'varicose veins', 'aneurysm', 'hemorrhoids', 'haemorrhoids', 'piles',
  // 10. Respiratory (J00–J99)
  'pneumonia', 'cap', 'bronchitis', 'bronchiolitis', 'asthma', 'copd', 'chronic obstructive pulmonary disease', 'emphysema', 'uri', 'urti', 'lrti', 'common cold', 'head cold', 'sinusitis', 'pharyngitis',
  'tonsillitis', 'laryngitis', 'anterior epistaxis', 'posterior epistaxis', 'glue ear', 'nasal polyps', 'croup', 'hay fever', 'hap', 'vap', 'aecopd', 'iecopd', 'ecopd', 'quinsy', 'allergic rhinitis', 'pneumothorax', 'pleural effusion', 'pulmonary fibrosis', 'ards', 'respiratory failure',
  // 11. Digestive (K00–K95)
  'gerd', 'gord', 'reflux', 'acid reflux', 'gastritis', 'peptic ulcer', 'ibs', 'ibd', "crohn's", "crohn's disease", 'ulcerative colitis', 'celiac disease', 'coeliac disease', 'diverticulitis', 'diverticulosis',
  'appendicitis', 'cholecystitis', 'cholelithiasis', 'gallstones', 'biliary colic', 'pancreatitis', 'hepatitis', 'fatty liver', 'nafld', 'cirrhosis', 'hernia', 'bowel obstruction', 'anal fissure',
  'dental abscess', 'dental caries',
  // 12. Skin (L00–L99)
  'cellulitis', 'abscess', 'eczema', 'dermatitis', 'psoriasis', 'acne', 'rosacea', 'urticaria', 'hives', 'folliculitis', 'paronychia', 'ingrown toenail', 'pressure sore', 'actinic keratosis',
  'seborrheic keratosis', 'skin tag', 'sebaceous cyst', 'epidermoid cyst', 'pilonidal', 'hidradenitis', 'alopecia', 'vitiligo', 'lichen planus', 'intertrigo', 'nappy rash', 'diaper rash',
  // 13. Musculoskeletal (M00–M99)
  'osteoarthritis', 'arthritis', 'rheumatoid arthritis', 'gout', 'pseudogout', 'lupus', 'sle', 'fibromyalgia', 'osteoporosis', 'osteopenia', 'tendinitis', 'tendonitis', 'tendinopathy', 'bursitis',
  'plantar fasciitis', 'frozen shoulder', 'adhesive capsulitis', 'impingement', 'tennis elbow', "golfer's elbow", 'de quervain', 'trigger finger', 'ganglion', 'scoliosis', 'spinal stenosis',
  'disc prolapse', 'slipped disc', 'herniated disc', 'disc herniation', 'radiculopathy', 'costochondritis', 'polymyalgia rheumatica', 'ankylosing spondylitis', 'osteomyelitis', "baker's cyst",
  'mechanical back pain', 'mechanical low back pain', 'lbp', 'oa', 'whiplash',
  // 14. Genitourinary (N00–N99)
  'uti', 'urinary tract infection', 'cystitis', 'pyelonephritis', 'kidney stone', 'kidney stones', 'renal stone', 'renal colic', 'nephrolithiasis', 'ckd', 'aki', 'bph', 'benign prostatic hyperplasia',
  'prostatitis', 'epididymitis', 'erectile dysfunction', 'incontinence', 'overactive bladder', 'vaginitis', 'bacterial vaginosis', 'yeast infection', 'endometriosis', 'pid', 'menorrhagia',
  'dysmenorrhea', 'dysmenorrhoea', 'menopause', 'perimenopause', 'ovarian cyst', 'mastitis',
  // 15–17. Pregnancy, perinatal, congenital (O00–Q99)
  'preeclampsia', 'pre-eclampsia', 'gestational diabetes', 'hyperemesis', 'ectopic pregnancy', 'miscarriage', 'postpartum depression', 'postnatal depression', 'neonatal jaundice', 'down syndrome',
  // 19. Injury and poisoning (S00–T88)
  // "fracture", "sprain", "strain", "tear" need a word that says which (see HEAD_NOUN): alone
  // they are also verbs and services ("Strain the urine.", "fracture clinic").
  'sprained ankle', 'dislocation', 'concussion', 'head injury', 'overdose', 'poisoning', 'anaphylaxis', 'allergic reaction', 'foreign body', 'sunburn',
  'frostbite', 'heat exhaustion', 'hypothermia',
];

/**
 * The shapes of diagnosis words: inflammation (-itis), conditions (-osis, -iasis, -pathy),
 * blood (-emia), growths (-oma), low counts (-penia), tissue (-plasia, -ectasis), and the head
 * nouns that make a phrase a diagnosis ("… syndrome", "… disease", "fracture of …").
 */
const WORD_SHAPES = /^[a-z][a-z-]+(?:itis|osis|iasis|pathy|a?emia|oma|penia|plasia|ectasis|lithiasis)$/;
const HEAD_NOUN = /^(?:fractured|sprained|torn|ruptured|dislocated|(?:disease|disorder|syndrome|infection|deficiency|failure|insufficiency|injury|fracture|sprain|strain|tear|rupture|exacerbation|flare|flare-up|ulcer|cancer|stenosis|dysfunction|palsy|colic|hernia|toxicity|dependence|thrombosis|embolism|occlusion|regurgitation|prolapse|neuralgia|neuropathy)s?)$/;
/** Words the shapes match that are findings (ICD-10-CM chapter 18), procedures or plain English. */
const NOT_A_DIAGNOSIS = new Set([
  'diagnosis', 'prognosis', 'hypnosis', 'osmosis', 'cyanosis', 'ptosis', 'lordosis', 'mitosis', 'academia', 'hypoxemia', 'hypoxaemia', 'hyperglycemia', 'hyperglycaemia', 'bacteremia', 'coma', 'diploma',
  'aroma', 'stoma', 'lymphadenopathy', 'sympathy', 'empathy', 'apathy', 'homeopathy', 'osteopathy', 'naturopathy', 'telepathy', 'ischemia', 'ischaemia',
]);
/** A head noun needs a word before it that says which ("viral infection", not "any infection"). */
const NOT_A_QUALIFIER = new Set(['a', 'an', 'the', 'no', 'any', 'of', 'for', 'to', 'with', 'and', 'or', 'this', 'that', 'his', 'her', 'their', 'my', 'your', 'its', 'signs', 'sign', 'risk', 'without', 'possible', 'some', 'previous', 'other', 'is', 'was', 'not']);

/**
 * A symptom named with what kind it is ("musculoskeletal chest pain", "viral cough", "benign
 * positional vertigo") is a diagnosis: the qualifier is the clinician's judgement.
 */
const QUALIFIED_SYMPTOM =
  /(?<![\p{L}\p{N}'-])(?:musculoskeletal|msk|non-cardiac|noncardiac|atypical|functional|mechanical|viral|post-viral|postviral|benign|idiopathic|self-limiting|uncomplicated|tension-type|cervicogenic|drug-induced|medication-induced|stress-related|psychogenic|postural|positional|reflux-related|post-infectious|postinfectious|post-nasal)(?:\s+[\p{L}-]+)?\s+(?:pain|chest pain|back pain|abdominal pain|headache|cough|rash|vertigo|syncope|dizziness|diarrhoea|diarrhea|vomiting|fever|wheeze|dyspepsia|constipation|insomnia|tremor|palpitations|illness|drip)(?![\p{L}\p{N}'-])/gu;

const SERVICE = /^(?:clinic|service|team|unit|ward|nurse|nurses|specialist|specialists|referral|pathway|programme|program)$/;

let conditionPattern: RegExp | undefined;

/** One diagnosis named in a sentence: where it starts and ends (in characters), and its words. */
export interface DiagnosisMention {
  index: number;
  end: number;
  text: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The diagnoses a sentence names, in order. `text` must be lower case. Fast enough to run on
 * every final sentence: one compiled alternation for the list, then one pass over the words.
 */
export function findDiagnoses(text: string): DiagnosisMention[] {
  conditionPattern ??= new RegExp(
    `(?<![\\p{L}\\p{N}'-])(?:${[...CONDITIONS].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}\\p{N}'-])`,
    'gu',
  );
  const mentions: DiagnosisMention[] = [];
  const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu)];
  for (const match of text.matchAll(conditionPattern)) {
    const next = /^[^\p{L}\p{N}]*([\p{L}\p{N}]+)/u.exec(text.slice(match.index + match[0].length))?.[1] ?? '';
    if (!SERVICE.test(next)) mentions.push({ index: match.index, end: match.index + match[0].length, text: match[0] });
  }
  for (const match of text.matchAll(QUALIFIED_SYMPTOM)) {
    const end = match.index + match[0].length;
    if (!mentions.some((m) => match.index < m.end && end > m.index)) mentions.push({ index: match.index, end, text: match[0] });
  }
  words.forEach((word, i) => {
    const token = word[0].replace(/'s$/, '');
    let index = word.index;
    if (HEAD_NOUN.test(token)) {
      // "… fracture" names one when a word says which; "fracture of the wrist" does by itself.
      const before = words[i - 1]?.[0];
      const after = words[i + 1]?.[0];
      if (before && !NOT_A_QUALIFIER.has(before)) index = words[i - 1].index;
      else if (after !== 'of') return;
    } else if (!WORD_SHAPES.test(token) || NOT_A_DIAGNOSIS.has(token)) return;
    // "fracture clinic", "heart failure nurse": a service named after a condition is a referral.
    if (SERVICE.test(words[i + 1]?.[0] ?? '')) return;
    const end = word.index + word[0].length;
    if (!mentions.some((m) => index < m.end && end > m.index)) mentions.push({ index, end, text: text.slice(index, end) });
  });
  return mentions.sort((a, b) => a.index - b.index);
}

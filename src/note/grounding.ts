import type { ClinicalNote, GroundingFlag } from './note-types.js';
import { normaliseClinicalText } from './spoken-numbers.js';

const UNIT = '(mg|mcg|g|ml|kg|mmhg|bpm|units|%|mmol/l|mg/dl)';
const DOSE = new RegExp(`(\\d+(?:\\.\\d+)?)\\s*${UNIT}(?![a-z])`, 'g');
const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Common drug names, and the stems that name drug classes (-pril, -olol, -statin …). A name
 * the list misses is not checked, so the list errs towards breadth.
 */
const DRUGS = new Set(
  'acetaminophen paracetamol ibuprofen naproxen aspirin diclofenac celecoxib tramadol morphine oxycodone hydrocodone codeine fentanyl methadone buprenorphine gabapentin pregabalin amitriptyline nortriptyline duloxetine sertraline fluoxetine citalopram escitalopram paroxetine venlafaxine bupropion mirtazapine trazodone quetiapine olanzapine risperidone aripiprazole haloperidol lithium lamotrigine levetiracetam valproate carbamazepine phenytoin topiramate lorazepam diazepam alprazolam clonazepam zolpidem melatonin metformin insulin glipizide gliclazide glimepiride sitagliptin empagliflozin dapagliflozin semaglutide liraglutide dulaglutide pioglitazone lisinopril enalapril ramipril perindopril losartan valsartan candesartan irbesartan amlodipine nifedipine diltiazem verapamil metoprolol atenolol bisoprolol carvedilol propranolol labetalol hydrochlorothiazide chlorthalidone indapamide furosemide bumetanide torsemide spironolactone eplerenone atorvastatin simvastatin rosuvastatin pravastatin ezetimibe warfarin apixaban rivaroxaban dabigatran edoxaban heparin enoxaparin clopidogrel ticagrelor digoxin amiodarone nitroglycerin isosorbide levothyroxine prednisone prednisolone methylprednisolone dexamethasone hydrocortisone budesonide fluticasone beclomethasone salbutamol albuterol ipratropium tiotropium salmeterol formoterol montelukast cetirizine loratadine fexofenadine diphenhydramine omeprazole esomeprazole pantoprazole lansoprazole ranitidine famotidine ondansetron metoclopramide loperamide lactulose senna amoxicillin ampicillin penicillin flucloxacillin cephalexin cefuroxime ceftriaxone azithromycin clarithromycin erythromycin doxycycline minocycline ciprofloxacin levofloxacin moxifloxacin nitrofurantoin trimethoprim sulfamethoxazole metronidazole clindamycin vancomycin gentamicin fluconazole nystatin acyclovir valacyclovir oseltamivir allopurinol colchicine febuxostat methotrexate hydroxychloroquine sulfasalazine adalimumab alendronate calcium vitamin iron ferrous folic cyanocobalamin tamsulosin finasteride sildenafil tadalafil oxybutynin estradiol progesterone testosterone naloxone epinephrine adrenaline'.split(' '),
);
const DRUG_STEM = /(?:pril|sartan|olol|dipine|statin|cillin|mycin|floxacin|cycline|azole|prazole|tidine|gliptin|gliflozin|glutide|formin|parin|xaban|gatran|triptan|setron|lukast|olone|isone|afil|ciclovir|vudine|navir|mab|tinib|azepam|zolam|oxetine|alopram|triptyline|codone|morphone|profen|semide|thiazide|terol|tropium|lamide|glinide)$/;

export interface GroundingTerm {
  term: string;
  kind: GroundingFlag['kind'];
}

/** The numbers, doses, units and drug names a statement asserts. */
export function groundingTerms(text: string): GroundingTerm[] {
  const normalised = normaliseClinicalText(text);
  const terms: GroundingTerm[] = [];
  const withinDoses: Array<[number, number]> = [];
  for (const match of normalised.matchAll(DOSE)) {
    terms.push({ term: `${match[1]} ${match[2]}`, kind: 'dose' });
    withinDoses.push([match.index, match.index + match[0].length]);
  }
  for (const match of normalised.matchAll(NUMBER)) {
    if (!withinDoses.some(([from, to]) => match.index >= from && match.index < to)) terms.push({ term: match[0], kind: 'number' });
  }
  for (const word of normalised.match(/\p{L}[\p{L}-]*/gu) ?? []) {
    if (DRUGS.has(word) || (word.length >= 6 && DRUG_STEM.test(word))) terms.push({ term: word, kind: 'drug' });
  }
  return terms;
}

/** What was said, prepared once so each term is a cheap lookup. */
export class TranscriptEvidence {
  private readonly tokens: string[];
  private readonly tokenSet: Set<string>;

  constructor(transcript: string) {
    this.tokens = normaliseClinicalText(transcript).match(/\d+(?:\.\d+)?|[\p{L}%][\p{L}%/-]*/gu) ?? [];
    this.tokenSet = new Set(this.tokens);
  }

  /** Whether the transcript supports a term: a dose needs its number followed closely by its unit. */
  supports({ term, kind }: GroundingTerm): boolean | 'unit' {
    if (kind !== 'dose') return this.tokenSet.has(term);
    const [amount, unit] = term.split(' ');
    let numberSeen = false;
    for (let i = 0; i < this.tokens.length; i++) {
      if (this.tokens[i] !== amount) continue;
      numberSeen = true;
      if (this.tokens.slice(i + 1, i + 4).includes(unit)) return true;
    }
    // The amount was said with another unit: a unit error, the dangerous kind.
    return numberSeen ? 'unit' : false;
  }
}

/**
 * The grounding guard: every number, dose, unit and drug name in a statement the model wrote
 * must appear in the transcript. The clinician's own items are authoritative and not checked.
 */
export function checkGrounding(note: ClinicalNote, transcript: string): GroundingFlag[] {
  const evidence = new TranscriptEvidence(transcript);
  const flags: GroundingFlag[] = [];
  for (const section of note.sections) {
    for (const item of section.items) {
      if (item.origin === 'clinician' || item.deleted) continue;
      for (const term of groundingTerms(item.text)) {
        const supported = evidence.supports(term);
        if (supported === true) continue;
        flags.push({ itemId: item.id, sectionId: section.id, term: term.term, kind: supported === 'unit' ? 'unit' : term.kind });
      }
    }
  }
  return flags;
}

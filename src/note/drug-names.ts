/**
 * Common drug names, and the stems that name drug classes (-pril, -olol, -statin …). A name
 * the list misses is not recognised, so the list errs towards breadth.
 */
const DRUGS = new Set(
  'acetaminophen paracetamol ibuprofen naproxen aspirin diclofenac celecoxib tramadol morphine oxycodone hydrocodone codeine fentanyl methadone buprenorphine gabapentin pregabalin amitriptyline nortriptyline duloxetine sertraline fluoxetine citalopram escitalopram paroxetine venlafaxine bupropion mirtazapine trazodone quetiapine olanzapine risperidone aripiprazole haloperidol lithium lamotrigine levetiracetam valproate carbamazepine phenytoin topiramate lorazepam diazepam alprazolam clonazepam zolpidem melatonin metformin insulin glipizide gliclazide glimepiride sitagliptin empagliflozin dapagliflozin semaglutide liraglutide dulaglutide pioglitazone lisinopril enalapril ramipril perindopril losartan valsartan candesartan irbesartan amlodipine nifedipine diltiazem verapamil metoprolol atenolol bisoprolol carvedilol propranolol labetalol hydrochlorothiazide chlorthalidone indapamide furosemide frusemide bumetanide torsemide spironolactone eplerenone atorvastatin simvastatin rosuvastatin pravastatin ezetimibe warfarin apixaban rivaroxaban dabigatran edoxaban heparin enoxaparin clopidogrel ticagrelor digoxin amiodarone nitroglycerin isosorbide levothyroxine prednisone prednisolone methylprednisolone dexamethasone hydrocortisone budesonide fluticasone beclomethasone salbutamol albuterol ipratropium tiotropium salmeterol formoterol montelukast cetirizine loratadine fexofenadine diphenhydramine omeprazole esomeprazole pantoprazole lansoprazole ranitidine famotidine ondansetron metoclopramide loperamide lactulose senna amoxicillin amoxycillin ampicillin penicillin flucloxacillin cephalexin cefalexin cefuroxime ceftriaxone azithromycin clarithromycin erythromycin doxycycline minocycline ciprofloxacin levofloxacin moxifloxacin nitrofurantoin trimethoprim sulfamethoxazole metronidazole clindamycin vancomycin gentamicin fluconazole nystatin acyclovir aciclovir valacyclovir oseltamivir allopurinol colchicine febuxostat methotrexate hydroxychloroquine sulfasalazine adalimumab alendronate calcium vitamin iron ferrous folic cyanocobalamin tamsulosin finasteride sildenafil tadalafil oxybutynin estradiol progesterone testosterone naloxone epinephrine adrenaline'.split(
    ' ',
  ),
);
const DRUG_STEM = /(?:pril|sartan|olol|dipine|statin|cillin|mycin|floxacin|cycline|azole|prazole|tidine|gliptin|gliflozin|glutide|formin|parin|xaban|gatran|triptan|setron|lukast|olone|isone|afil|ciclovir|vudine|navir|mab|tinib|azepam|zolam|oxetine|alopram|triptyline|codone|morphone|profen|semide|thiazide|terol|tropium|lamide|glinide)$/;
/** Words a stem would take for a drug. */
const NOT_DRUGS = new Set(['cholesterol', 'sterol', 'glycerol', 'kebab']);
/** Names said for the same drug, mapped to one. */
const SAME_DRUG: Record<string, string> = {
  acetaminophen: 'paracetamol',
  albuterol: 'salbutamol',
  epinephrine: 'adrenaline',
  frusemide: 'furosemide',
  amoxycillin: 'amoxicillin',
  cephalexin: 'cefalexin',
  acyclovir: 'aciclovir',
};
const INSULINS = new Set(['glargine', 'lispro', 'aspart', 'detemir', 'degludec', 'nph', 'regular', 'isophane']);
const IRON_SALTS: Record<string, string> = { sulfate: 'sulfate', sulphate: 'sulfate', fumarate: 'fumarate', gluconate: 'gluconate' };

const isDrugWord = (word: string) => DRUGS.has(word) || (word.length >= 6 && !NOT_DRUGS.has(word) && DRUG_STEM.test(word));

/**
 * The drug a word (with the words after it) names, as one canonical name: "acetaminophen" and
 * "paracetamol" are one drug, "vitamin b 12" is "vitamin b12". `length` is how many words it took.
 */
export function drugName(words: readonly string[], at: number): { drug: string; length: number } | null {
  const word = words[at];
  if (!word || !/^[a-z]/.test(word)) return null;
  const singular = word.endsWith('s') && word.length > 6 ? word.slice(0, -1) : word;
  const found = isDrugWord(word) ? word : isDrugWord(singular) ? singular : null;
  if (!found) return null;
  const drug = SAME_DRUG[found] ?? found;
  const next = words[at + 1] ?? '';
  if (drug === 'vitamin' && /^[a-z]\d*$/.test(next)) {
    // "vitamin b 12": the recogniser split the name.
    if (/^[a-z]$/.test(next) && /^\d+$/.test(words[at + 2] ?? '')) return { drug: `vitamin ${next}${words[at + 2]}`, length: 3 };
    return { drug: `vitamin ${next}`, length: 2 };
  }
  if (drug === 'folic' && next === 'acid') return { drug: 'folic acid', length: 2 };
  if (drug === 'insulin' && INSULINS.has(next)) return { drug: `insulin ${next}`, length: 2 };
  if (drug === 'ferrous' && next in IRON_SALTS) return { drug: `ferrous ${IRON_SALTS[next]}`, length: 2 };
  return { drug, length: 1 };
}

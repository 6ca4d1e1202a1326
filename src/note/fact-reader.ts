import type { AllergyFact, ClinicalFact, DoseFact, FactReading, VitalKind, VitalSetting } from './clinical-facts.js';
import { drugName } from './drug-names.js';

interface Token {
  t: string;
  at: number;
  num: boolean;
  sentence: number;
}

const TOKEN = /\d+(?:\.\d+)?(?:\/\d+(?:\.\d+)?)*|[a-zµ][a-z0-9µ']*|[%°]|[.,;:!?]/g;
const SENTENCE_END = new Set(['.', '!', '?', ';']);
const isPunct = (t: string | undefined) => !!t && /^[.,;:!?]$/.test(t);
const digits = (n: number) => String(Math.round(n * 1e6) / 1e6);
/** Plural to singular, enough to compare "ulcers" with "ulcer". */
const singular = (word: string) => (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word) ? word.slice(0, -1) : word);

const DOSE_UNITS: Record<string, { unit: string; factor: number }> = {
  mg: { unit: 'mg', factor: 1 },
  g: { unit: 'mg', factor: 1000 },
  mcg: { unit: 'mg', factor: 0.001 },
  ml: { unit: 'ml', factor: 1 },
  units: { unit: 'unit', factor: 1 },
  mmol: { unit: 'mmol', factor: 1 },
  meq: { unit: 'meq', factor: 1 },
  '%': { unit: '%', factor: 1 },
  ...Object.fromEntries(['tablet', 'tablets', 'tab', 'tabs'].map((w) => [w, { unit: 'tablet', factor: 1 }])),
  ...Object.fromEntries(['capsule', 'capsules'].map((w) => [w, { unit: 'capsule', factor: 1 }])),
  ...Object.fromEntries(['puff', 'puffs'].map((w) => [w, { unit: 'puff', factor: 1 }])),
  ...Object.fromEntries(['drop', 'drops'].map((w) => [w, { unit: 'drop', factor: 1 }])),
  ...Object.fromEntries(['sachet', 'sachets'].map((w) => [w, { unit: 'sachet', factor: 1 }])),
};
const RANGE_WORDS = new Set(['to', 'or']);
const CHANGE_VERBS = new Set(['increase', 'increased', 'increasing', 'raise', 'raised', 'up', 'uptitrate', 'titrate', 'titrated', 'decrease', 'decreased', 'decreasing', 'reduce', 'reduced', 'reducing', 'lower', 'lowered', 'down', 'wean', 'change', 'changed', 'switch', 'switched', 'adjust', 'adjusted', 'go', 'going']);

const DURATIONS: Record<string, { scale: 'minutes' | 'months'; factor: number }> = {
  ...Object.fromEntries(['minute', 'minutes', 'min', 'mins'].map((w) => [w, { scale: 'minutes' as const, factor: 1 }])),
  ...Object.fromEntries(['hour', 'hours', 'hr', 'hrs'].map((w) => [w, { scale: 'minutes' as const, factor: 60 }])),
  ...Object.fromEntries(['day', 'days'].map((w) => [w, { scale: 'minutes' as const, factor: 1440 }])),
  ...Object.fromEntries(['week', 'weeks', 'wk', 'wks'].map((w) => [w, { scale: 'minutes' as const, factor: 10080 }])),
  ...Object.fromEntries(['month', 'months'].map((w) => [w, { scale: 'months' as const, factor: 1 }])),
  ...Object.fromEntries(['year', 'years', 'yr', 'yrs'].map((w) => [w, { scale: 'months' as const, factor: 12 }])),
};
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_INDEX = new Map<string, number>([...MONTHS.map((m, i) => [m, i + 1] as const), ...['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'].map((m) => [m, MONTHS.findIndex((n) => n.startsWith(m.slice(0, 3))) + 1] as const)]);
const WEEKDAYS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

/** Names of vitals, longest first so "pulse ox" is not read as "pulse". */
const VITAL_NAMES: Array<[string[], VitalKind]> = (
  [
    [['oxygen', 'saturation'], 'oxygen-saturation'],
    [['oxygen', 'saturations'], 'oxygen-saturation'],
    [['oxygen', 'sats'], 'oxygen-saturation'],
    [['o2', 'saturation'], 'oxygen-saturation'],
    [['o2', 'sats'], 'oxygen-saturation'],
    [['o2', 'sat'], 'oxygen-saturation'],
    [['pulse', 'oximetry'], 'oxygen-saturation'],
    [['pulse', 'ox'], 'oxygen-saturation'],
    [['spo2'], 'oxygen-saturation'],
    [['sao2'], 'oxygen-saturation'],
    [['sats'], 'oxygen-saturation'],
    [['sat'], 'oxygen-saturation'],
    [['saturation'], 'oxygen-saturation'],
    [['saturations'], 'oxygen-saturation'],
    [['saturating'], 'oxygen-saturation'],
    [['blood', 'pressure'], 'blood-pressure'],
    [['bp'], 'blood-pressure'],
    [['heart', 'rate'], 'heart-rate'],
    [['pulse', 'rate'], 'heart-rate'],
    [['pulse'], 'heart-rate'],
    [['hr'], 'heart-rate'],
    [['respiratory', 'rate'], 'respiratory-rate'],
    [['resp', 'rate'], 'respiratory-rate'],
    [['breathing', 'rate'], 'respiratory-rate'],
    [['respirations'], 'respiratory-rate'],
    [['rr'], 'respiratory-rate'],
    [['temperature'], 'temperature'],
    [['temp'], 'temperature'],
    [['weight'], 'weight'],
    [['weighs'], 'weight'],
    [['weighed'], 'weight'],
    [['blood', 'glucose'], 'glucose'],
    [['blood', 'sugar'], 'glucose'],
    [['glucose'], 'glucose'],
    [['sugars'], 'glucose'],
    [['sugar'], 'glucose'],
  ] as Array<[string[], VitalKind]>
).sort((a, b) => b[0].length - a[0].length);
const VITAL_NAMES_BY_FIRST = new Map<string, Array<[string[], VitalKind]>>();
for (const name of VITAL_NAMES) VITAL_NAMES_BY_FIRST.set(name[0][0], [...(VITAL_NAMES_BY_FIRST.get(name[0][0]) ?? []), name]);
const VITAL_LABEL: Record<VitalKind, string> = {
  temperature: 'temperature',
  'blood-pressure': 'blood pressure',
  'heart-rate': 'heart rate',
  'oxygen-saturation': 'oxygen saturation',
  'respiratory-rate': 'respiratory rate',
  weight: 'weight',
  glucose: 'glucose',
};
/** Words after a vital's number that say it is not the vital ("sugars 3 times a day"). */
const NOT_A_READING = new Set(['times', 'x', 'old', ...Object.keys(DURATIONS), ...Object.keys(DOSE_UNITS).filter((u) => u !== '%' && u !== 'mmol')]);
const TEMPERATURE_UNITS = new Set(['°', 'degrees', 'degree', 'c', 'celsius', 'centigrade', 'f', 'fahrenheit']);
const WEIGHT_UNITS: Record<string, number> = { kg: 1, lb: 0.45359237, lbs: 0.45359237, pounds: 0.45359237, pound: 0.45359237, stone: 6.35029318 };
const HOME_CUES = new Set(['home']);
const CLINIC_CUES = new Set(['clinic', 'office', 'here', 'arrival', 'triage', 'examination', 'exam']);

const NEGATION_CUES = new Set(['neither', 'no', 'denies', 'denied', 'deny', 'denying', 'without', 'not', 'nor', 'never', 'negative']);
const DENIALS = new Set(['denies', 'denied', 'deny', 'denying', 'without', 'negative']);
/** Words that end what a negation covers: "no pain on walking" negates "pain". */
const BOUNDARY = new Set(
  'is are was were be been being has have had but with on in at since for today yesterday now currently which that so because he she they we i it this there than though although after before when while until to as per and or nor who noted seen found reported present observed detected elicited heard felt either anymore recently previously gets got get causes caused causing gives gave giving develops developed reacts reacted says said reports states stated feels describes complains mentions thinks'.split(' '),
);
/** Words a negated phrase may open with that say nothing of what is negated. */
const LEADING = new Set(['any', 'a', 'an', 'the', 'other', 'obvious', 'significant', 'new', 'further', 'more']);
/** Words that do not identify what is negated: "no signs of infection" is about "infection". */
const NOT_CONTENT = new Set(['of', 'any', 'a', 'an', 'the', 'his', 'her', 'their', 'sign', 'signs', 'evidence', 'history', 'further', 'new', 'other', 'obvious', 'significant', 'known', 'recent', 'current', 'symptom']);
/** After "not", auxiliaries before what is negated: "has not been taking". */
const AUXILIARY = new Set(['been', 'be', 'currently', 'yet', 'always', 'really', 'actually']);
/** Words for the same finding: "not febrile" is "no fever". */
const SAME_WORD: Record<string, string> = { febrile: 'fever', pyrexia: 'fever', pyrexial: 'fever', temperature: 'fever', sob: 'breath', breathless: 'breath', breathlessness: 'breath', dyspnoea: 'breath', dyspnea: 'breath' };
/** A word of a finding as negations compare it: singular, one word for synonyms. */
export const findingWord = (word: string) => SAME_WORD[word] ?? singular(word);
const SAID_NEGATED: Record<string, { words: string[]; text: string }> = {
  afebrile: { words: ['fever'], text: 'no fever' },
  apyrexial: { words: ['fever'], text: 'no fever' },
};

const ALLERGY_WORDS: Record<string, AllergyFact['reaction']> = { allergic: 'allergy', allergy: 'allergy', allergies: 'allergy', intolerant: 'intolerance', intolerance: 'intolerance', intolerances: 'intolerance' };
const ALLERGY_LINKS = new Set(['to', 'of', ':', 'include', 'includes', 'are', 'is']);
const NO_ALLERGY_CUES = new Set(['no', 'denies', 'denied']);
const NO_ALLERGY_FILLER = new Set(['known', 'any', 'drug', 'medication', 'medicine']);
const GENERIC_SUBSTANCES = new Set(['drug', 'medication', 'medicine', 'food', 'known', 'any', 'seasonal', 'severe', 'mild', 'some', 'an', 'a', 'the']);

type Unplaced<T> = T extends ClinicalFact ? Omit<T, 'at'> : never;
type DrugMention = { index: number; length: number; drug: string };

/**
 * Reads prepared text (prepareClinicalText) token by token. Each reader claims the tokens it
 * reads, in this order: allergies, durations and dates, vitals, doses, negations; what no
 * reader claimed is a bare drug name or a bare number.
 */
export class FactReader {
  private readonly tokens: Token[] = [];
  private readonly words: string[];
  private readonly used: boolean[];
  private readonly facts: ClinicalFact[] = [];
  private readonly mentions: DrugMention[] = [];
  private readonly mentionsAt = new Map<number, DrugMention>();
  private readonly mentionsIn = new Map<number, DrugMention[]>();
  /** Each sentence's first token and the one after its last. */
  private readonly sentences: Array<[number, number]> = [];

  constructor(text: string) {
    let sentence = 0;
    for (const match of text.matchAll(TOKEN)) {
      this.tokens.push({ t: match[0], at: match.index, num: /^\d/.test(match[0]), sentence });
      (this.sentences[sentence] ??= [this.tokens.length - 1, 0])[1] = this.tokens.length;
      if (SENTENCE_END.has(match[0])) sentence++;
    }
    this.words = this.tokens.map((t) => t.t);
    this.used = this.tokens.map(() => false);
    for (let i = 0; i < this.words.length; i++) {
      const name = drugName(this.words, i);
      if (!name) continue;
      this.mentions.push({ index: i, ...name });
      this.mentionsAt.set(i, this.mentions.at(-1)!);
      const sentence = this.tokens[i].sentence;
      if (!this.mentionsIn.has(sentence)) this.mentionsIn.set(sentence, []);
      this.mentionsIn.get(sentence)!.push(this.mentions.at(-1)!);
      i += name.length - 1;
    }
  }

  /** Reads everything, and reports what lies from `from` on (what comes before is context). */
  read(from = 0): FactReading {
    this.readAllergies();
    this.readDurationsAndDates();
    this.readVitals();
    this.readDoses();
    this.readNegations();
    for (const mention of this.mentions) if (!this.used[mention.index]) this.push({ kind: 'drug', drug: mention.drug, text: mention.drug }, mention.index);
    const numbers: string[] = [];
    const allNumbers = new Set<string>();
    this.tokens.forEach((token, i) => {
      if (!token.num || token.at < from) return;
      const parts = token.t.split('/').map((p) => digits(Number(p)));
      parts.forEach((p) => allNumbers.add(p));
      if (!this.used[i]) numbers.push(...parts);
    });
    const facts = this.facts.filter((fact) => fact.at >= from).sort((a, b) => a.at - b.at);
    return { facts, numbers, drugs: new Set(this.mentions.filter((m) => this.tokens[m.index].at >= from).map((m) => m.drug)), allNumbers };
  }

  private push(fact: Unplaced<ClinicalFact>, index: number): void {
    this.facts.push({ ...fact, at: this.tokens[index].at } as ClinicalFact);
  }

  private use(from: number, to: number): void {
    for (let i = from; i <= to && i < this.used.length; i++) this.used[i] = true;
  }

  private mentionAt(index: number) {
    return this.used[index] ? undefined : this.mentionsAt.get(index);
  }

  private sentenceOf(index: number): [number, number] {
    return this.sentences[this.tokens[index].sentence];
  }

  private sameSentence(a: number, b: number): boolean {
    return this.tokens[a]?.sentence === this.tokens[b]?.sentence;
  }

  // "allergic to penicillin and codeine", "penicillin allergy", "no known drug allergies", "statin intolerance"
  private readAllergies(): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      if (this.used[k]) continue;
      if (w[k] === 'nkda' || w[k] === 'nka') {
        this.pushAllergy([], 'allergy', false, k, k);
        continue;
      }
      if (NO_ALLERGY_CUES.has(w[k])) {
        let j = k + 1;
        while (NO_ALLERGY_FILLER.has(w[j])) j++;
        if ((w[j] === 'allergies' || w[j] === 'allergy') && !ALLERGY_LINKS.has(w[j + 1] ?? '')) {
          this.pushAllergy([], 'allergy', false, k, j);
          k = j;
          continue;
        }
      }
      const reaction = ALLERGY_WORDS[w[k]];
      if (!reaction) continue;
      let j = k + 1;
      if (w[j] === 'reaction' || w[j] === 'reactions') j++;
      if (ALLERGY_LINKS.has(w[j] ?? '')) {
        const negated = ['not', 'no', 'never'].includes(w[k - 1]);
        // "allergies: none"
        if (['none', 'nil', 'nkda'].includes(w[j + 1] ?? '')) {
          this.pushAllergy([], 'allergy', false, k, j + 1);
          continue;
        }
        for (const item of this.readSubstances(j + 1)) this.pushAllergy(item.words, reaction, negated, item.from, item.to);
        this.use(negated ? k - 1 : k, j);
        continue;
      }
      // The substance said first: "penicillin allergy", "a sulfa allergy".
      const drug = this.mentions.find((m) => m.index + m.length === k && !this.used[m.index]);
      const from = drug ? drug.index : k - 1;
      const substance = drug ? [drug.drug] : [singular(w[k - 1] ?? '')].filter((x) => /^[a-z]/.test(x) && !GENERIC_SUBSTANCES.has(x) && !BOUNDARY.has(x) && !NEGATION_CUES.has(x));
      if (!substance.length) continue;
      const negated = ['not', 'no', 'never'].includes(w[from - 1]);
      this.pushAllergy(substance, reaction, negated, negated ? from - 1 : from, k);
    }
  }

  private readSubstances(start: number): Array<{ words: string[]; from: number; to: number }> {
    const w = this.words;
    const items: Array<{ words: string[]; from: number; to: number }> = [];
    const isSubstance = (word: string | undefined) => !!word && /^[a-z]/.test(word) && !BOUNDARY.has(word) && !NEGATION_CUES.has(word) && !(word in ALLERGY_WORDS);
    let i = start;
    while (i < w.length && items.length < 6 && this.sameSentence(i, start)) {
      const drug = this.mentionAt(i);
      let end: number;
      let words: string[];
      if (drug) {
        words = [drug.drug];
        end = i + drug.length;
      } else {
        end = i;
        while (end - i < 2 && isSubstance(w[end]) && !this.mentionAt(end)) end++;
        words = w.slice(i, end).map(singular).filter((x) => !GENERIC_SUBSTANCES.has(x));
        if (end === i) break;
      }
      if (words.length) items.push({ words, from: i, to: end - 1 });
      if ([',', 'and', 'or'].includes(w[end]) && (this.mentionAt(end + 1) || isSubstance(w[end + 1]))) i = end + 1;
      else break;
    }
    return items;
  }

  private pushAllergy(substance: string[], reaction: AllergyFact['reaction'], negated: boolean, from: number, to: number): void {
    const what = substance.join(' ');
    const text = !substance.length ? 'no known drug allergies' : `${negated ? 'not ' : ''}${reaction === 'allergy' ? 'allergic to' : 'intolerant of'} ${what}`;
    this.push({ kind: 'allergy', substance, reaction, negated, text }, from);
    this.use(from, to);
  }

  // "blood pressure today is 152/94", "oxygen saturation 98 %", "temperature at home 38.9", "78 bpm"
  private readVitals(): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      if (this.used[k]) continue;
      const name = this.vitalAt(k);
      if (!name) continue;
      const end = k + name.length;
      let at = -1;
      for (let j = end; j < Math.min(w.length, end + 6); j++) {
        if (!this.sameSentence(j, k) || (isPunct(w[j]) && w[j] !== ':')) break;
        if (this.tokens[j].num) {
          at = j;
          break;
        }
        if (this.vitalAt(j) || this.mentionAt(j)) break;
      }
      if (at === -1 || this.used[at] || NOT_A_READING.has(w[at + 1] ?? '')) continue;
      const last = this.pushVital(name.vital, at, k);
      this.use(k, last);
      k = last;
    }
    // A number whose unit names the vital.
    for (let k = 0; k < w.length; k++) {
      if (this.used[k] || !this.tokens[k].num) continue;
      const unit = w[k + 1];
      const value = Number(w[k].split('/')[0]);
      const vital: VitalKind | null =
        unit === 'mmhg' ? 'blood-pressure' : unit === 'bpm' ? 'heart-rate' : TEMPERATURE_UNITS.has(unit ?? '') && unit !== 'c' && unit !== 'f' && ((value >= 34 && value <= 43) || (value >= 93 && value <= 110)) ? 'temperature' : null;
      if (!vital) continue;
      this.use(k, this.pushVital(vital, k, k));
    }
  }

  private vitalAt(index: number): { vital: VitalKind; length: number } | null {
    for (const [words, vital] of VITAL_NAMES_BY_FIRST.get(this.words[index]) ?? []) if (words.every((word, i) => this.words[index + i] === word)) return { vital, length: words.length };
    return null;
  }

  /** Reads the value at `at` (and its unit); returns the index of the last token it took. */
  private pushVital(vital: VitalKind, at: number, nameAt: number): number {
    const w = this.words;
    const [first, second] = w[at].split('/').map(Number);
    let last = at;
    let value = first;
    let shown = w[at].split('/')[0];
    let converted = false;
    if (vital === 'blood-pressure') {
      shown = w[at];
      if (w[at + 1] === 'mmhg') last++;
    } else if (vital === 'temperature') {
      let fahrenheit = false;
      while (TEMPERATURE_UNITS.has(w[last + 1] ?? '')) {
        last++;
        if (w[last] === 'f' || w[last] === 'fahrenheit') fahrenheit = true;
      }
      if (fahrenheit || value >= 90) {
        value = Math.round(((value - 32) * 5) / 9 * 10) / 10;
        converted = true;
        shown += ' °f';
      }
    } else if (vital === 'oxygen-saturation') {
      if (w[at + 1] === '%') last++;
      shown += '%';
    } else if (vital === 'weight') {
      const factor = WEIGHT_UNITS[w[at + 1] ?? ''];
      if (factor) {
        last++;
        if (factor !== 1) {
          value = Math.round(value * factor * 10) / 10;
          converted = true;
        }
      }
      shown += factor && factor !== 1 ? ` ${w[at + 1]}` : ' kg';
    } else if (vital === 'heart-rate') {
      if (w[at + 1] === 'bpm') last++;
    } else if (vital === 'respiratory-rate') {
      if (w[at + 1] === 'breaths') last++;
    } else if (vital === 'glucose') {
      while (['mmol', 'l', 'mg', 'dl'].includes(w[last + 1] ?? '')) last++;
    }
    const setting = this.settingNear(nameAt);
    const text = `${setting ? `${setting} ` : ''}${VITAL_LABEL[vital]} ${shown}`;
    this.push({ kind: 'vital', vital, value, ...(vital === 'blood-pressure' && second !== undefined ? { second } : {}), ...(converted ? { converted } : {}), ...(setting ? { setting } : {}), text }, nameAt);
    return last;
  }

  /** Home or clinic, by the nearest word close by in the sentence that says so. */
  private settingNear(index: number): VitalSetting | undefined {
    let best: { setting: VitalSetting; distance: number } | undefined;
    const [from, to] = this.sentenceOf(index);
    for (let i = Math.max(from, index - 6); i < Math.min(to, index + 7); i++) {
      const token = this.tokens[i];
      const setting = HOME_CUES.has(token.t) ? 'home' : CLINIC_CUES.has(token.t) ? 'clinic' : undefined;
      const distance = Math.abs(i - index);
      // "Weight today 84 kg, up from 81 kg at home" says nothing of where the 84 was measured.
      if (setting && distance <= 6 && (!best || distance < best.distance || (distance === best.distance && setting === 'home'))) best = { setting, distance };
    }
    return best?.setting;
  }

  // "atorvastatin 40 mg", "increase amlodipine from 5 to 10 mg", "40 mg of atorvastatin", "paracetamol 1 g"
  private readDoses(): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      if (this.used[k] || !this.tokens[k].num || w[k].includes('/')) continue;
      let unitAt = k + 1;
      if (!DOSE_UNITS[w[unitAt]]) {
        if (RANGE_WORDS.has(w[k + 1]) && this.tokens[k + 2]?.num && DOSE_UNITS[w[k + 3]]) unitAt = k + 3;
        else if (this.tokens[k + 1]?.num && DOSE_UNITS[w[k + 2]]) unitAt = k + 2;
        else continue;
      }
      const { unit, factor } = DOSE_UNITS[w[unitAt]];
      // "70 % of her best" is not a dose; "hydrocortisone 1 %" is.
      const drug = this.drugFor(k, unitAt, unit !== '%');
      if (unit === '%' && !drug) continue;
      const amount = Number(w[k]);
      const role = this.roleOf(k);
      const text = `${drug ? `${drug} ` : ''}${w[k]} ${w[unitAt]}`;
      this.push({ kind: 'dose', drug, amount, base: amount * factor, unit, ...(role ? { role } : {}), text }, k);
      this.use(k, k);
      if (unitAt === k + 1) this.use(unitAt, unitAt);
    }
  }

  /** The drug an amount belongs to: "40 mg of atorvastatin", else the nearest drug before it in the sentence, else one just after, else one of the sentence before. */
  private drugFor(amountAt: number, unitAt: number, acrossSentences: boolean): string | null {
    const sentence = this.tokens[amountAt].sentence;
    const said = (n: number) => (this.mentionsIn.get(n) ?? []).filter((m) => !this.used[m.index]);
    const inSentence = said(sentence);
    const next = this.words[unitAt + 1] === 'of' ? unitAt + 2 : unitAt + 1;
    const after = inSentence.find((m) => m.index === next);
    if (after) return after.drug;
    const before = inSentence.filter((m) => m.index < amountAt).at(-1);
    if (before) return before.drug;
    const later = inSentence.find((m) => m.index > unitAt && m.index <= unitAt + 4);
    if (later) return later.drug;
    if (inSentence.length || !acrossSentences) return null;
    return (said(sentence - 1).at(-1) ?? said(sentence - 2).at(-1))?.drug ?? null;
  }

  private roleOf(amountAt: number): DoseFact['role'] {
    const w = this.words;
    if (w[amountAt - 1] === 'from') return 'previous';
    if (w[amountAt - 1] !== 'to') return undefined;
    const before = this.tokens.slice(this.sentenceOf(amountAt)[0], amountAt);
    return before.some((t) => CHANGE_VERBS.has(t.t) || t.t === 'from') ? 'target' : undefined;
  }

  // "for 2 weeks", "in 14 days", "since monday", "on 3 march 2024", "12/03/2024"
  private readDurationsAndDates(): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      if (this.used[k]) continue;
      const token = this.tokens[k];
      if (token.num && w[k].split('/').length === 3) {
        this.push({ kind: 'date', value: w[k], text: w[k] }, k);
        this.use(k, k);
        continue;
      }
      const duration = DURATIONS[w[k + 1] ?? ''];
      if (token.num && !w[k].includes('/') && duration && w[k + 2] !== 'old' && !(w[k + 2] === 'of' && w[k + 3] === 'age')) {
        this.push({ kind: 'duration', value: Number(w[k]) * duration.factor, scale: duration.scale, text: `${w[k]} ${w[k + 1]}` }, k);
        this.use(k, k + 1);
        k++;
        continue;
      }
      if (WEEKDAYS.has(w[k])) {
        this.push({ kind: 'date', value: w[k], text: w[k] }, k);
        this.use(k, k);
        continue;
      }
      const month = MONTH_INDEX.get(w[k]);
      if (!month) continue;
      const isDay = (i: number) => this.tokens[i]?.num && /^\d{1,2}$/.test(w[i]) && Number(w[i]) >= 1 && Number(w[i]) <= 31 && !this.used[i];
      const dayAt = isDay(k + 1) ? k + 1 : isDay(k - 1) ? k - 1 : w[k - 1] === 'of' && isDay(k - 2) ? k - 2 : -1;
      if (dayAt === -1) continue;
      const after = Math.max(dayAt, k) + 1;
      const yearAt = [after, after + 1].find((i) => /^\d{4}$/.test(w[i] ?? '') && (i === after || w[after] === ','));
      const day = Number(w[dayAt]);
      const value = `${month}-${day}${yearAt ? `-${w[yearAt]}` : ''}`;
      this.push({ kind: 'date', value, text: `${day} ${MONTHS[month - 1]}${yearAt ? ` ${w[yearAt]}` : ''}` }, Math.min(dayAt, k));
      this.use(Math.min(dayAt, k), Math.max(dayAt, k, yearAt ?? k));
    }
  }

  // "no fever", "denies fever or chest pain", "without vomiting", "not short of breath", "afebrile"
  private readNegations(): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      if (this.used[k]) continue;
      const said = SAID_NEGATED[w[k]];
      if (said) {
        this.push({ kind: 'negation', words: said.words, text: said.text }, k);
        continue;
      }
      const contracted = /n't$/.test(w[k]);
      if (!NEGATION_CUES.has(w[k]) && !contracted) continue;
      if (w[k] === 'negative' && w[k + 1] !== 'for') continue;
      const cue = w[k] === 'not' || w[k] === 'never' || contracted ? (w[k] === 'never' ? 'never' : 'not') : 'no';
      // "Denies fever and chest pain" denies both; "no headaches and feels well" does not.
      const denial = DENIALS.has(w[k]);
      let j = w[k] === 'negative' ? k + 2 : k + 1;
      if (cue !== 'no') while (AUXILIARY.has(w[j])) j++;
      const sentenceEnd = this.sentenceOf(k)[1];
      const listGoesOn = (from: number) => w.slice(from, sentenceEnd).some((x) => x === 'or' || x === 'nor');
      while (j < w.length) {
        while (LEADING.has(w[j])) j++;
        const start = j;
        while (j < w.length && j - start < 4 && this.sameSentence(j, k) && !this.tokens[j].num && !isPunct(w[j]) && !BOUNDARY.has(w[j]) && !NEGATION_CUES.has(w[j]) && !this.used[j]) j++;
        const phrase = w.slice(start, j);
        const words = phrase.filter((x) => !NOT_CONTENT.has(x)).map(findingWord);
        if (words.length) this.push({ kind: 'negation', words, text: `${cue} ${phrase.join(' ')}` }, start);
        // "no fever, chills or night sweats": a list that ends in "or" is negated throughout.
        const separator = w[j];
        if (separator === 'or' || separator === 'nor' || ((separator === ',' || separator === 'and') && (denial || listGoesOn(j + 1)))) {
          if (NEGATION_CUES.has(w[j + 1]) || !this.sameSentence(j + 1, k)) break;
          j++;
          continue;
        }
        break;
      }
    }
  }
}

const ONES: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000 };

/** Spoken units as a note writes them. */
const UNITS: Array<[RegExp, string]> = [
  [/\bmilligrams?\b|\bmgs\b/g, 'mg'],
  [/\bmicrograms?\b|\bmcgs\b|µg/g, 'mcg'],
  [/\bgrams?\b/g, 'g'],
  [/\bmillilit(?:er|re)s?\b|\bmls\b|\bcc\b|\bccs\b/g, 'ml'],
  [/\bkilo(?:gram)?s?\b/g, 'kg'],
  [/\bmillimet(?:er|re)s? of mercury\b/g, 'mmhg'],
  [/\bbeats (?:per|a) minute\b/g, 'bpm'],
  [/\bper ?cent\b/g, '%'],
  [/\binternational units?\b|\biu\b/g, 'units'],
  [/\bunit\b/g, 'units'],
];

/**
 * Speech recognisers write "five hundred milligrams" as often as "500 mg"; the grounding
 * guard compares a note with what was said, so both sides are brought to digits and
 * abbreviations first.
 */
export function normaliseClinicalText(text: string): string {
  let out = text.toLowerCase().replace(/(\d),(?=\d{3}(?!\d))/g, '$1').replace(/-/g, ' ');
  for (const [pattern, unit] of UNITS) out = out.replace(pattern, unit);
  return spokenNumbersToDigits(out).replace(/(\d)(mg|mcg|g|ml|kg|mmhg|bpm|units|%)\b/g, '$1 $2');
}

const NUMBER_WORD = [...Object.keys(ONES), ...Object.keys(TENS), ...Object.keys(SCALES)].join('|');
const NUMBER_RUN = new RegExp(`\\b(?:${NUMBER_WORD})(?:(?:\\s+|\\s+and\\s+|\\s+point\\s+)(?:${NUMBER_WORD}))*\\b`, 'g');

function spokenNumbersToDigits(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    const [whole, fraction] = run.split(/\s+point\s+/);
    let total = 0;
    let current = 0;
    for (const word of whole.split(/\s+/)) {
      if (word in ONES) current += ONES[word];
      else if (word in TENS) current += TENS[word];
      else if (word === 'hundred') current = (current || 1) * 100;
      else if (word === 'thousand') {
        total += (current || 1) * 1000;
        current = 0;
      }
    }
    const digits = fraction
      ?.split(/\s+/)
      .map((w) => ONES[w] ?? '')
      .join('');
    return String(total + current) + (digits ? `.${digits}` : '');
  });
}

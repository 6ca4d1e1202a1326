/**
 * The one sanitising step every export (text, Markdown, HTML, FHIR) takes before it escapes for
 * its own format. Dictated and model text can carry characters that have no words in them but
 * change what a reader or a parser sees: NUL and other controls (illegal in XML, so a FHIR
 * narrative holding one is not XHTML), lone surrogates and U+FFFE/U+FFFF (not characters at
 * all), and bidi controls, which reorder what is displayed ("Trojan Source") so a reviewer could
 * read a dose or a drug that the record does not hold.
 *
 * They are removed, not replaced with a visible marker: none of them carries a word, a marker
 * would put into the signed record a character the clinician never typed or heard, and with the
 * bidi controls gone every reader sees the text in its stored (dictated) order. Removal happens
 * only in the export: the note itself keeps what was written. Line and paragraph separators
 * (CR, VT, FF, NEL, U+2028, U+2029) become `\n`, so each format's own line handling sees them
 * (an item is one line in text and Markdown, and a separator must not start a forged one).
 */

const LINE_BREAKS = /\r\n?|[\v\f\u0085\u2028\u2029]/g;

// Controls (C0 but tab and LF, DEL, C1), lone surrogates (`\p{Cs}` matches only an unpaired one
// in a `u` pattern), the bidi controls (U+061C, U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) and
// U+FFFE/U+FFFF. CR, VT, FF and NEL were line breaks and are `\n` by now.
const REMOVED = /(?![\t\n])\p{Cc}|\p{Cs}|\p{Bidi_Control}|[\uFFFE\uFFFF]/gu;

/** The text with every character illegal in XML and every bidi control removed; line breaks as `\n`. */
export function exportText(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(REMOVED, '');
}

/** {@link exportText} on one line: runs of spaces, tabs and line breaks become one space, trimmed. */
export function exportLine(text: string): string {
  return exportText(text).replace(/[ \t\n]+/g, ' ').trim();
}

/**
 * A FHIR `string`: one line, and no whitespace but the space, since R4's schema allows only
 * space, tab, CR and LF (a no-break or ideographic space in a title would make the bundle
 * invalid). Never empty, as FHIR forbids empty strings: `fallback` stands in.
 */
export function fhirString(text: string, fallback: string): string {
  return exportLine(text.replace(/\s/g, ' ')) || fallback;
}

/**
 * Text as character data or an attribute value that XML and HTML both read back as that text
 * (`&#39;`, not `&apos;`, which HTML 4 lacks). Run it on {@link exportText}'s output.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

// Everything CommonMark, GFM and the common extensions give a meaning to inline: escapes, code
// spans, emphasis, strikethrough, links and images, raw HTML and autolinks, entities, tables,
// headings, attribute lists (`{…}`), and `@` for GFM's bare e-mail autolinks. CommonMark lets
// any ASCII punctuation be backslash-escaped, so escaping too much only costs a backslash.
const MARKDOWN_ACTIVE = /[\\`*_{}[\]()<>#!|~&@]/g;

/**
 * Text as one line of Markdown that renders as exactly that text: every Markdown- and
 * HTML-active character escaped, so dictated `<script>`, `[x](javascript:…)` or `# heading`
 * stays words. Bare URLs are broken up (`https\://`, `www\.`) so linkifying renderers leave them
 * as text; what a line starts with (`-`, `+`, `1.`) cannot open a list.
 */
export function markdownText(text: string): string {
  return (
    exportLine(text)
      .replace(MARKDOWN_ACTIVE, '\\$&')
      // A scheme (`javascript:`, `https:`, `data:`) is letters then a colon then more; "BP: 120" and "10:30" stay as they are.
      .replace(/(?<=[A-Za-z]):(?=\S)/g, '\\:')
      .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\\.`)
      .replace(/^[-+=]/, '\\$&')
      .replace(/^(\d+)\./, '$1\\.')
  );
}

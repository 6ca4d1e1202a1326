const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
const norm = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The words two consecutive hypotheses agree on from the start. Text a partial shows in
 * full weight is only this prefix, so it does not flicker as the model changes its mind
 * about the last word.
 */
export function stablePrefix(previous: string, next: string): string {
  const a = words(previous);
  const b = words(next);
  let n = 0;
  while (n < a.length && n < b.length && norm(a[n]) === norm(b[n])) n++;
  return b.slice(0, n).join(' ');
}

/**
 * Joins the text of a window that began with `overlap` seconds of the previous window's
 * audio: the longest run of words that ends `previous` and starts `next` is said once.
 */
export function mergeOverlap(previous: string, next: string, maxWords = 8): string {
  const a = words(previous);
  const b = words(next);
  for (let n = Math.min(maxWords, a.length, b.length); n > 0; n--) {
    const tail = a.slice(a.length - n).map(norm);
    const head = b.slice(0, n).map(norm);
    if (tail.every((w, i) => w === head[i])) return b.slice(n).join(' ');
  }
  return b.join(' ');
}

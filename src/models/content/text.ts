/**
 * Turning catalog text into terms: a deliberately simple tokenizer (no stemming) so that what an
 * item is matched on stays easy to explain, plus whole-value terms for categories and brands.
 */

/** Common English words that say nothing about a product. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can ' +
    'could did do does doing down during each few for from further had has have having he her here hers herself him himself his ' +
    'how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they ' +
    'this those through to too under until up very was we were what when where which while who whom why will with would you ' +
    'your yours yourself yourselves'
  ).split(' '),
);

/**
 * Lowercased words of `text`: split on anything that is not a letter or digit (any script),
 * stop words and one-character tokens dropped.
 *
 * @example
 * tokenize('The Red Mug, 350ml — dishwasher-safe'); // ['red', 'mug', '350ml', 'dishwasher', 'safe']
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const token of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (token.length > 1 && !STOP_WORDS.has(token)) out.push(token);
  }
  return out;
}

/**
 * A category or brand as one term, so "Home & Garden" never matches a title word "home".
 * Whitespace is collapsed so stored vocabularies hold no line breaks.
 *
 * @example
 * wholeTerm('category', ' Home &  Garden'); // 'category:home & garden'
 */
export function wholeTerm(kind: 'category' | 'brand', value: string): string {
  return `${kind}:${value.trim().toLowerCase().replace(/\s+/gu, ' ')}`;
}

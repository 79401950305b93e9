import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { words as STOPWORD_LIST } from 'natural/lib/natural/util/stopwords.js';
import { normalizeAnswer } from '../text/normalize-answer.js';
import { hasUnspacedScript } from '../text/unspaced-script.js';

// Function words carry nothing a summary needs; digits are kept (numbers matter).
const STOPWORDS = new Set((STOPWORD_LIST as string[]).filter((w) => /^[a-z]+$/.test(w)));
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * The content tokens of a text: normalised (SQuAD), stop words removed, Latin words stemmed.
 * Scripts written without spaces are split into words by the Unicode word-break rules (ICU's
 * dictionaries for Thai, Lao, Khmer, Myanmar, Chinese and Japanese).
 */
export function contentTokens(text: string): Set<string> {
  const normal = normalizeAnswer(text);
  const words = hasUnspacedScript(normal)
    ? Array.from(segmenter.segment(normal), (s) => (s.isWordLike ? s.segment : ''))
    : normal.split(' ');
  const out = new Set<string>();
  for (const w of words) {
    if (w === '' || STOPWORDS.has(w)) continue;
    out.add(/^[a-z]+$/.test(w) ? stem(w) : w);
  }
  return out;
}

/**
 * Multi-reference recall of content tokens: for each reference answer, the share of its content
 * tokens present in the context; the mean over references. For abstractive answers (written
 * summaries) that never occur verbatim: what a reader of the context could still say. A reference
 * without content tokens is skipped; with none left the item scores 0.
 */
export function referenceRecall(references: string[], context: Set<string>): number {
  let total = 0;
  let counted = 0;
  for (const ref of references) {
    const tokens = referenceTokens(ref);
    if (tokens.size === 0) continue;
    let hit = 0;
    for (const t of tokens) if (context.has(t)) hit++;
    total += hit / tokens.size;
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}

const stems = new Map<string, string>();

function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size > 200_000) stems.clear();
    s = PorterStemmer.stem(word);
    stems.set(word, s);
  }
  return s;
}

const referenceCache = new Map<string, Set<string>>();

function referenceTokens(ref: string): Set<string> {
  let hit = referenceCache.get(ref);
  if (!hit) {
    if (referenceCache.size > 20_000) referenceCache.clear();
    hit = contentTokens(ref);
    referenceCache.set(ref, hit);
  }
  return hit;
}

import { TfIdf } from 'natural/lib/natural/tfidf/index.js';
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { countTokens } from '../routing/count-tokens.js';
import { splitUnits, type TextUnit } from './split-units.js';

/** A unit with its token count (including its joining whitespace). */
export interface PreparedUnit extends TextUnit {
  tokens: number;
}

/** A context split and token-counted once, shared by every compressor and question over it. */
export interface PreparedContext {
  text: string;
  units: PreparedUnit[];
  totalTokens: number;
  /** totalTokens / sum of unit tokens: joined units tokenize slightly differently than alone. */
  scale: number;
  /** TfIdf over the units' stemmed terms, built on first use. */
  tfidf(): TfIdf;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, PreparedContext>();

/**
 * Splits and counts `text`, memoised (LRU, 256 contexts): a QA set asks many questions over one
 * context, and a long transcript costs tens of milliseconds to split and tokenize.
 */
export function prepareContext(text: string): PreparedContext {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const units = splitUnits(text).map((u) => ({ ...u, tokens: countTokens(u.sep + u.text) }));
  const totalTokens = countTokens(text);
  const sum = units.reduce((a, u) => a + u.tokens, 0);
  let index: TfIdf | undefined;
  const prepared: PreparedContext = {
    text,
    units,
    totalTokens,
    scale: sum > 0 ? totalTokens / sum : 1,
    tfidf: () => (index ??= buildIndex(units)),
  };
  cache.set(text, prepared);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return prepared;
}

/** Empties the memo, so the next prepareContext pays the full split and count (benchmarks measure cold runs). */
export function clearContextCache(): void {
  cache.clear();
}

/**
 * Lower-cased, stop-word-free, Porter-stemmed terms (what the TfIdf index holds), each prefixed
 * with '_': natural keeps term counts in plain objects, where a bare "constructor" or "toString"
 * would read an Object.prototype function and turn every score into NaN.
 */
export function stemTerms(text: string): string[] {
  return PorterStemmer.tokenizeAndStem(text).map((t) => `_${t}`);
}

function buildIndex(units: PreparedUnit[]): TfIdf {
  const index = new TfIdf();
  for (const u of units) index.addDocument(stemTerms(u.text));
  return index;
}

/** Joins units (in the order given) with their separators; the first one gets none. */
export function joinUnits(parts: { text: string; sep: string }[]): string {
  return parts.map((p, i) => (i === 0 ? '' : p.sep) + p.text).join('');
}

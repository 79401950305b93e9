import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { AggressiveTokenizer } from 'natural/lib/natural/tokenizers/index.js';
import { words as STOPWORD_LIST } from 'natural/lib/natural/util/stopwords.js';
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
  /** The units' stemmed term counts, built on first use (the tfidf compressor's index). */
  terms(): TermIndex;
}

/** Stemmed term counts per unit and the number of units holding each term. */
export interface TermIndex {
  counts: Map<string, number>[];
  docFreq: Map<string, number>;
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
  let index: TermIndex | undefined;
  const prepared: PreparedContext = {
    text,
    units,
    totalTokens,
    scale: sum > 0 ? totalTokens / sum : 1,
    terms: () => (index ??= buildIndex(units)),
  };
  cache.set(text, prepared);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return prepared;
}

/** Empties the memos (contexts and stems), so the next call pays the full split, count and stemming (benchmarks measure cold runs). */
export function clearContextCache(): void {
  cache.clear();
  stems.clear();
}

const tokenizer = new AggressiveTokenizer();
const STOPWORDS = new Set(STOPWORD_LIST);
const STEM_MEMO_LIMIT = 200_000;
const stems = new Map<string, string>();

/**
 * Lower-cased, stop-word-free, Porter-stemmed terms, each prefixed with '_' (kept from when natural's
 * TfIdf held them in plain objects, where a bare "constructor" read an Object.prototype function):
 * exactly PorterStemmer.tokenizeAndStem (the same tokenizer, stop words and stemmer), with the stop
 * words in a Set instead of a linear search per token and each distinct word stemmed once.
 */
export function stemTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenizer.tokenize(text.toLowerCase())) {
    if (STOPWORDS.has(token)) continue;
    let stem = stems.get(token);
    if (stem === undefined) {
      if (stems.size >= STEM_MEMO_LIMIT) stems.clear();
      stem = `_${PorterStemmer.stem(token)}`;
      stems.set(token, stem);
    }
    out.push(stem);
  }
  return out;
}

function buildIndex(units: PreparedUnit[]): TermIndex {
  const counts = units.map((u) => {
    const c = new Map<string, number>();
    for (const t of stemTerms(u.text)) c.set(t, (c.get(t) ?? 0) + 1);
    return c;
  });
  const docFreq = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
  return { counts, docFreq };
}

/**
 * Each unit's tf-idf score for the query terms, as natural's TfIdf.tfidfs computes it (raw term
 * count times 1 + ln(N / (1 + units holding the term)), summed over the terms in order, a repeated
 * term counted each time), without building a general-purpose TfIdf per context.
 */
export function scoreUnits(index: TermIndex, terms: string[]): number[] {
  const n = index.counts.length;
  const idf = terms.map((t) => {
    const v = 1 + Math.log(n / (1 + (index.docFreq.get(t) ?? 0)));
    return v === Infinity ? 0 : v;
  });
  return index.counts.map((c) => {
    let value = 0.0;
    for (let i = 0; i < terms.length; i++) value = value + (c.get(terms[i]!) ?? 0) * idf[i]!;
    return value;
  });
}

/** Joins units (in the order given) with their separators; the first one gets none. */
export function joinUnits(parts: { text: string; sep: string }[]): string {
  return parts.map((p, i) => (i === 0 ? '' : p.sep) + p.text).join('');
}

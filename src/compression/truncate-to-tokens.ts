import { countTokens } from '../routing/count-tokens.js';

interface Pieces {
  parts: string[];
  /** cumulative[k]: estimated tokens of the first k pieces (per-piece counts add up almost exactly). */
  cumulative: number[];
}

const cache = new Map<string, Pieces>();

/**
 * Word-like pieces with their leading whitespace, each token-counted once (memoised per text).
 * Runs over 16 characters are split so one long "word" can still be cut. BPE never merges
 * across the tokenizer's whitespace pre-split, so the per-piece counts nearly add up.
 */
function piecesOf(text: string): Pieces {
  let hit = cache.get(text);
  if (hit) return hit;
  const parts = text.match(/\s*\S{1,16}/g) ?? [];
  const cumulative = [0];
  for (const [i, p] of parts.entries()) cumulative.push(cumulative[i] + countTokens(i === 0 ? p.trimStart() : p));
  hit = { parts, cumulative };
  if (cache.size > 4096) cache.clear();
  cache.set(text, hit);
  return hit;
}

function take(p: Pieces, k: number, fromEnd: boolean): string {
  return (fromEnd ? p.parts.slice(p.parts.length - k) : p.parts.slice(0, k)).join('').trim();
}

/** Estimated tokens of the first (or last) k pieces. */
function estimate(p: Pieces, k: number, fromEnd: boolean): number {
  const n = p.parts.length;
  return fromEnd ? p.cumulative[n] - p.cumulative[n - k] : p.cumulative[k];
}

/** The largest piece count whose cut has at most `maxTokens` tokens, checked by a real count. */
function fitCount(p: Pieces, maxTokens: number, fromEnd: boolean): number {
  let k = 0;
  while (k < p.parts.length && estimate(p, k + 1, fromEnd) <= maxTokens) k++;
  while (k > 0 && countTokens(take(p, k, fromEnd)) > maxTokens) k--;
  return k;
}

/**
 * The longest word-boundary prefix (or suffix, `fromEnd`) of `text` with at most `maxTokens`
 * tokens; '' when not even one word fits.
 */
export function truncateToTokens(text: string, maxTokens: number, fromEnd = false): string {
  if (maxTokens <= 0) return '';
  const p = piecesOf(text);
  if (estimate(p, p.parts.length, fromEnd) <= maxTokens && countTokens(text) <= maxTokens) return text;
  return take(p, fitCount(p, maxTokens, fromEnd), fromEnd);
}

/** The word-boundary cut of `text` whose token count is nearest `targetTokens`, under or over. */
export function nearestCut(text: string, targetTokens: number, fromEnd = false): string {
  const p = piecesOf(text);
  const k = fitCount(p, Math.max(0, targetTokens), fromEnd);
  const under = take(p, k, fromEnd);
  if (k >= p.parts.length) return under;
  const over = take(p, k + 1, fromEnd);
  return countTokens(over) - targetTokens < targetTokens - countTokens(under) ? over : under;
}

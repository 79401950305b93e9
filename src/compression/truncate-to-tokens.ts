import { countTokens } from '../routing/count-tokens.js';

/** Word-like pieces with their trailing whitespace; runs over 16 characters are split so one long "word" can still be cut. */
function pieces(text: string): string[] {
  return text.match(/\S{1,16}\s*/g) ?? [];
}

function take(parts: string[], k: number, fromEnd: boolean): string {
  return (fromEnd ? parts.slice(parts.length - k) : parts.slice(0, k)).join('').trim();
}

/** The largest piece count whose cut has at most `maxTokens` tokens (binary search). */
function fitCount(parts: string[], maxTokens: number, fromEnd: boolean): number {
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokens(take(parts, mid, fromEnd)) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The longest word-boundary prefix (or suffix, `fromEnd`) of `text` with at most `maxTokens`
 * tokens; '' when not even one word fits.
 */
export function truncateToTokens(text: string, maxTokens: number, fromEnd = false): string {
  if (maxTokens <= 0) return '';
  if (countTokens(text) <= maxTokens) return text;
  const parts = pieces(text);
  return take(parts, fitCount(parts, maxTokens, fromEnd), fromEnd);
}

/** The word-boundary cut of `text` whose token count is nearest `targetTokens`, under or over. */
export function nearestCut(text: string, targetTokens: number, fromEnd = false): string {
  const parts = pieces(text);
  const k = fitCount(parts, Math.max(0, targetTokens), fromEnd);
  const under = take(parts, k, fromEnd);
  if (k >= parts.length) return under;
  const over = take(parts, k + 1, fromEnd);
  return countTokens(over) - targetTokens < targetTokens - countTokens(under) ? over : under;
}

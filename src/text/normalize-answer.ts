import { hasUnspacedScript, isUnspacedScript } from './unspaced-script.js';

/**
 * SQuAD-style normalisation: lower-case, drop punctuation, drop the articles a/an/the, collapse
 * whitespace. Punctuation becomes a space (not nothing) so "Panthers' defense" cannot fuse words.
 */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/**
 * True when the normalised `needle` occurs in the normalised `haystack` as whole words. Word
 * boundaries only exist where text is written with spaces: an answer with characters of a script
 * written without spaces (Han, Kana, Thai, Lao, Khmer, Myanmar, ...) matches as a plain substring,
 * and an answer in a spaced script needs no boundary next to such a character ("GPS" is found in
 * "使用gps系统").
 */
export function containsNormalized(haystackNormalized: string, needle: string): boolean {
  const n = normalizeAnswer(needle);
  if (n === '') return false;
  if (` ${haystackNormalized} `.includes(` ${n} `)) return true;
  if (hasUnspacedScript(n)) return haystackNormalized.includes(n);
  if (!hasUnspacedScript(haystackNormalized)) return false;
  for (let at = haystackNormalized.indexOf(n); at >= 0; at = haystackNormalized.indexOf(n, at + 1)) {
    const before = at === 0 ? ' ' : Array.from(haystackNormalized.slice(Math.max(0, at - 2), at)).at(-1)!;
    const after = String.fromCodePoint(haystackNormalized.codePointAt(at + n.length) ?? 32);
    if ((before === ' ' || isUnspacedScript(before)) && (after === ' ' || isUnspacedScript(after))) return true;
  }
  return false;
}

/** SQuAD exact match: 1 when any gold answer normalises to the prediction, else 0. */
export function exactMatch(prediction: string, golds: string[]): number {
  const p = normalizeAnswer(prediction);
  return golds.some((g) => normalizeAnswer(g) === p) ? 1 : 0;
}

/** SQuAD token F1 against the best-matching gold answer. */
export function tokenF1(prediction: string, golds: string[]): number {
  return Math.max(
    0,
    ...golds.map((g) =>
      f1(normalizeAnswer(prediction).split(' ').filter(Boolean), normalizeAnswer(g).split(' ').filter(Boolean)),
    ),
  );
}

function f1(pred: string[], gold: string[]): number {
  if (pred.length === 0 || gold.length === 0) return pred.length === gold.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / pred.length;
  const recall = common / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

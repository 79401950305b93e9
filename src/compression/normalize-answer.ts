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

/** True when the normalised `needle` occurs in the normalised `haystack` on word boundaries. */
export function containsNormalized(haystackNormalized: string, needle: string): boolean {
  const n = normalizeAnswer(needle);
  if (n === '') return false;
  return ` ${haystackNormalized} `.includes(` ${n} `);
}

/** SQuAD exact match: 1 when any gold answer normalises to the prediction, else 0. */
export function exactMatch(prediction: string, golds: string[]): number {
  const p = normalizeAnswer(prediction);
  return golds.some((g) => normalizeAnswer(g) === p) ? 1 : 0;
}

/** SQuAD token F1 against the best-matching gold answer. */
export function tokenF1(prediction: string, golds: string[]): number {
  return Math.max(0, ...golds.map((g) => f1(normalizeAnswer(prediction).split(' ').filter(Boolean), normalizeAnswer(g).split(' ').filter(Boolean))));
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

import { normalizeText, type Comparator } from './comparator.js';

function tokens(s: string): string[] {
  return normalizeText(s)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((t) => t !== '' && !['a', 'an', 'the'].includes(t));
}

/** SQuAD-style token F1 between answer and reference (articles and punctuation ignored). */
export const tokenF1: Comparator = (candidate, reference) => {
  const r = tokens(reference);
  if (r.length === 0) return { name: 'token-f1', value: null, reason: 'empty reference' };
  const c = tokens(candidate);
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of c) {
    const k = counts.get(t) ?? 0;
    if (k > 0) {
      common++;
      counts.set(t, k - 1);
    }
  }
  const f1 = common === 0 ? 0 : (2 * common) / (c.length + r.length);
  return { name: 'token-f1', value: f1, reason: `token F1 ${f1.toFixed(2)}` };
};

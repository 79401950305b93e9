import { clip, normalizeText, type Comparator } from './comparator.js';

/** Normalized exact match of a label (case, whitespace, quotes and trailing punctuation ignored). */
export const exactLabel: Comparator = (candidate, reference) => {
  const c = normalizeText(candidate);
  const r = normalizeText(reference);
  if (r === '') return { name: 'exact-label', value: null, reason: 'empty reference' };
  return c === r
    ? { name: 'exact-label', value: 1, reason: `label "${clip(r)}" matches` }
    : { name: 'exact-label', value: 0, reason: `label "${clip(c)}" differs from reference "${clip(r)}"` };
};

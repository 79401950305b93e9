/**
 * What a comparator says about one candidate against its reference: `value` in [0, 1]
 * (1 = agrees), or null when the comparator does not apply (e.g. no number in the reference).
 */
export interface ComparatorResult {
  name: string;
  value: number | null;
  reason: string;
  /** The candidate commits to no answer at all (cut off, nothing to read): a missing answer, not an ambiguous one. */
  missing?: true;
}

/** A deterministic comparison of a candidate answer with a reference answer. */
export type Comparator = (candidate: string, reference: string) => ComparatorResult;

/** Lower-cases, trims, folds whitespace and strips surrounding quotes and trailing punctuation. */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/[.!?;:,]+$/, '')
    .trim();
}

/** Shortens text for a reason string. */
export function clip(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

import type { ComparatorName } from './comparator-names.js';
import { cacheAnswer } from './cache-answer.js';
import type { Comparator, ComparatorResult } from './comparator.js';
import { exactLabel } from './exact-label.js';
import { jsonFields } from './json-fields.js';
import { numericAnswer } from './numeric-answer.js';
import { tokenF1 } from './token-f1.js';

export type { Comparator, ComparatorResult } from './comparator.js';

export {
  COMPARATOR_NAMES,
  cacheComparatorFor,
  comparatorFor,
  defaultComparatorFor,
  type ComparatorName,
} from './comparator-names.js';

/** The registry: every offline comparator by name, with the value at or above which it passes. */
export const comparators: Record<ComparatorName, { compare: Comparator; passAt: number }> = {
  'exact-label': { compare: exactLabel, passAt: 1 },
  'numeric-answer': { compare: numericAnswer, passAt: 1 },
  'json-fields': { compare: jsonFields, passAt: 1 },
  'token-f1': { compare: tokenF1, passAt: 0.5 },
  'cache-answer': { compare: cacheAnswer, passAt: 1 },
};

/** A comparator's decision: pass, fail, or null when it does not apply. */
export function compareAnswer(
  name: ComparatorName,
  candidate: string,
  reference: string,
  f1Threshold?: number,
): ComparatorResult & { pass: boolean | null } {
  const spec = comparators[name];
  const r = spec.compare(candidate, reference);
  const passAt = name === 'token-f1' && f1Threshold !== undefined ? f1Threshold : spec.passAt;
  return { ...r, pass: r.value === null ? null : r.value >= passAt - 1e-12 };
}

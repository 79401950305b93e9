import { ConfigError } from '../../errors.js';
import { cacheAnswer } from './cache-answer.js';
import type { Comparator, ComparatorResult } from './comparator.js';
import { exactLabel } from './exact-label.js';
import { jsonFields } from './json-fields.js';
import { numericAnswer } from './numeric-answer.js';
import { tokenF1 } from './token-f1.js';

export type { Comparator, ComparatorResult } from './comparator.js';

/** The comparator names config `judge.comparators` may use. */
export type ComparatorName = 'exact-label' | 'numeric-answer' | 'json-fields' | 'token-f1' | 'cache-answer';

/** The registry: every offline comparator by name, with the value at or above which it passes. */
export const comparators: Record<ComparatorName, { compare: Comparator; passAt: number }> = {
  'exact-label': { compare: exactLabel, passAt: 1 },
  'numeric-answer': { compare: numericAnswer, passAt: 1 },
  'json-fields': { compare: jsonFields, passAt: 1 },
  'token-f1': { compare: tokenF1, passAt: 0.5 },
  'cache-answer': { compare: cacheAnswer, passAt: 1 },
};

/** Default by task name: math -> numeric, classify/label/intent -> exact, extract/json -> fields, else token F1. */
export function defaultComparatorFor(taskType: string): ComparatorName {
  const t = taskType.toLowerCase();
  if (/math|gsm|arith|calc|number/.test(t)) return 'numeric-answer';
  if (/classif|intent|label|categor|sentiment|route|triage|yes_?no|bool/.test(t)) return 'exact-label';
  if (/json|extract|struct|fields/.test(t)) return 'json-fields';
  return 'token-f1';
}

/**
 * The comparator for a cache hit of a class: the class's own when it is exact (label, number, JSON
 * fields), else cache-answer (token F1 passes a cached answer that differs in the one word that matters).
 */
export function cacheComparatorFor(classComparator: ComparatorName): ComparatorName {
  return classComparator === 'token-f1' ? 'cache-answer' : classComparator;
}

/** The comparator for a task class: config `judge.comparators[taskType]`, else the default by name. */
export function comparatorFor(taskType: string, configured: Record<string, string> = {}): ComparatorName {
  const name = configured[taskType];
  if (name === undefined) return defaultComparatorFor(taskType);
  if (!(name in comparators)) {
    throw new ConfigError(`judge.comparators.${taskType}: unknown comparator "${name}"; expected one of ${Object.keys(comparators).join(', ')}`);
  }
  return name as ComparatorName;
}

/** A comparator's decision: pass, fail, or null when it does not apply. */
export function compareAnswer(name: ComparatorName, candidate: string, reference: string, f1Threshold?: number): ComparatorResult & { pass: boolean | null } {
  const spec = comparators[name];
  const r = spec.compare(candidate, reference);
  const passAt = name === 'token-f1' && f1Threshold !== undefined ? f1Threshold : spec.passAt;
  return { ...r, pass: r.value === null ? null : r.value >= passAt - 1e-12 };
}

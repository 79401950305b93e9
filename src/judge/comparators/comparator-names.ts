import { ConfigError } from '../../errors.js';

// The comparators' names and the choice of one per task class, without the comparators themselves
// (cache-answer loads natural's stemmer): reports and rate queries need only the names.

/** The comparator names config `judge.comparators` may use. */
export const COMPARATOR_NAMES = ['exact-label', 'numeric-answer', 'json-fields', 'token-f1', 'cache-answer'] as const;
export type ComparatorName = (typeof COMPARATOR_NAMES)[number];

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
  if (!(COMPARATOR_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(
      `judge.comparators.${taskType}: unknown comparator "${name}"; expected one of ${COMPARATOR_NAMES.join(', ')}`,
    );
  }
  return name as ComparatorName;
}

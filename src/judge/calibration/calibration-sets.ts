import type { ComparatorName } from '../comparators/index.js';
import {
  loadCachePairsGold,
  loadGsm8kGold,
  loadGsm8kHandGold,
  loadLlmbarGold,
  type GoldItem,
  type GoldSetName,
} from './gold-sets.js';

/** How judge-calibrate runs one bundled gold set. */
export interface GoldSet {
  load: () => GoldItem[];
  /** The offline comparators measured on it (the first is the one a reference model's shortcut uses). */
  comparators: ComparatorName[];
  cheapFirst: boolean;
  needsModel: boolean;
  groupSize: number;
  /** The rubric a reference model judges it with. */
  llmMethod: string;
  labels: { by: string; independent: boolean };
}

/** The bundled gold sets: what each measures and who made its labels. */
export const CALIBRATION_SETS: Record<GoldSetName, GoldSet> = {
  // RouteLLM's grader labelled these by extracting a final number too: its mistakes are shared, so they do not set numeric-answer's rates when the hand-checked set is measured
  gsm8k: {
    load: loadGsm8kGold,
    comparators: ['numeric-answer'],
    cheapFirst: true,
    needsModel: false,
    groupSize: 1,
    llmMethod: 'routing-agreement',
    labels: { by: "RouteLLM's grader (extracts a final number)", independent: false },
  },
  'gsm8k-hand': {
    load: loadGsm8kHandGold,
    comparators: ['numeric-answer'],
    cheapFirst: true,
    needsModel: false,
    groupSize: 1,
    llmMethod: 'routing-agreement',
    labels: { by: 'a reader of each response (datasets/gsm8k-hand-checked/SOURCE.md)', independent: true },
  },
  'cache-pairs': {
    load: loadCachePairsGold,
    comparators: ['cache-answer', 'token-f1'],
    cheapFirst: true,
    needsModel: false,
    groupSize: 1,
    llmMethod: 'cache-hit-validity',
    labels: {
      by: 'construction from real sentences, part hand-checked (datasets/cache-pairs/SOURCE.md)',
      independent: true,
    },
  },
  llmbar: {
    load: loadLlmbarGold,
    comparators: ['token-f1'],
    cheapFirst: false,
    needsModel: true,
    groupSize: 2,
    llmMethod: 'pairwise-preference',
    labels: { by: 'LLMBar annotators', independent: true },
  },
};

/** About `limit` items, whole groups (an LLMBar pair) evenly spaced over the set (deterministic). */
export function spread<T>(items: T[], limit: number | undefined, groupSize: number): T[] {
  if (limit === undefined || limit >= items.length) return items;
  const groups = items.length / groupSize;
  const take = Math.max(1, Math.floor(limit / groupSize));
  return Array.from({ length: take }, (_, i) => Math.floor((i * groups) / take)).flatMap((g) =>
    items.slice(g * groupSize, (g + 1) * groupSize),
  );
}

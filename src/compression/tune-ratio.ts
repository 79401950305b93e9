import { mean, metricApplies, notApplicableReason, type CompressionMetric } from './compression-metric.js';
import { pairedDropInterval, type DropEstimate } from './paired-drop-interval.js';

/** Extraction task classes are never compressed below this ratio. */
export const EXTRACTION_FLOOR = 0.7;

/** One point of a compression curve: per-item scores in the same item order as the baseline. */
export interface CurvePoint {
  method: string;
  ratio: number;
  scores: number[];
  /** Mean achieved ratio (compressed / original tokens), for the report. */
  achievedRatio?: number;
}

/** What to tune: the uncompressed scores and the compressed curve of one dataset or task class. */
export interface TuneInput {
  group: string;
  baseline: number[];
  points: CurvePoint[];
  /** Largest acceptable drop, in percentage points, bounded by the upper 95% limit. */
  maxDropPoints: number;
  /** Extraction classes: ratios below EXTRACTION_FLOOR are not considered. */
  extraction?: boolean;
  /** The metric the scores are in (named in a not-applicable reason); default retention. */
  metric?: CompressionMetric;
}

/**
 * The chosen ratio; `ratio: 1` (no compression) with the reason when none qualifies; or, when
 * the metric's mean on the uncompressed context is under 0.2, `not-applicable`: the metric cannot
 * tell ratios apart, so nothing is recommended (`ratio: null`) and the reason says why.
 * `metric` and `baseline` are filled in by recommendRatios.
 */
export type TuneDecision = (
  | {
      group: string;
      kind: 'compress';
      method: string;
      ratio: number;
      n: number;
      drop: DropEstimate;
      achievedRatio?: number;
    }
  | { group: string; kind: 'none'; ratio: 1; n: number; reason: string }
  | { group: string; kind: 'not-applicable'; ratio: null; n: number; reason: string }
) & { metric?: CompressionMetric; baseline?: number | null };

/**
 * The most aggressive (smallest) ratio whose drop against the uncompressed context has a 95%
 * upper bound within `maxDropPoints`; items are paired across ratios. Ties between methods at
 * the same ratio go to the smaller estimated drop. Extraction classes stop at 0.7.
 */
export function tuneRatio(input: TuneInput): TuneDecision {
  const floor = input.extraction ? EXTRACTION_FLOOR : 0;
  const limit = input.maxDropPoints / 100;
  const n = input.baseline.length;
  const baseline = mean(input.baseline);
  if (!metricApplies(baseline))
    return {
      group: input.group,
      kind: 'not-applicable',
      ratio: null,
      n,
      reason: notApplicableReason(input.metric ?? 'retention', baseline),
    };
  const qualifying = input.points
    .filter((p) => p.ratio >= floor - 1e-9 && p.ratio < 1)
    .map((p) => ({ p, drop: pairedDropInterval(input.baseline, p.scores) }))
    .filter((x) => x.drop.upper <= limit + 1e-12)
    .sort((x, y) => x.p.ratio - y.p.ratio || x.drop.drop - y.drop.drop);
  const best = qualifying[0];
  if (!best) {
    const floorNote = input.extraction ? ` at or above the extraction floor ${EXTRACTION_FLOOR}` : '';
    return {
      group: input.group,
      kind: 'none',
      ratio: 1,
      n,
      reason: `no ratio${floorNote} keeps the drop's 95% upper bound within ${input.maxDropPoints} points (n=${n})`,
    };
  }
  return {
    group: input.group,
    kind: 'compress',
    method: best.p.method,
    ratio: best.p.ratio,
    n,
    drop: best.drop,
    achievedRatio: best.p.achievedRatio,
  };
}

/** True for task classes treated as extraction: items carry `fields`, or the name says extract. */
export function isExtractionClass(name: string, itemsHaveFields: boolean): boolean {
  return itemsHaveFields || /extract/i.test(name);
}

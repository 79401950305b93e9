import type { CompressionEvaluation } from './evaluate-compression.js';
import { tuneRatio, type TuneDecision } from './tune-ratio.js';

/**
 * Per task class (or per dataset when items carry no class): the most aggressive ratio, over all
 * ratio-targeting methods evaluated, whose paired drop stays within `maxDropPoints` by its 95%
 * upper bound (see tuneRatio). Pure over an evaluation.
 */
export function recommendRatios(evaluation: CompressionEvaluation, options: { maxDropPoints: number }): TuneDecision[] {
  return evaluation.groups.map((g) =>
    tuneRatio({
      group: g.name,
      extraction: g.extraction,
      maxDropPoints: options.maxDropPoints,
      baseline: g.items.map((i) => evaluation.baseline[i]),
      points: evaluation.points.map((p) => ({ ...p, scores: g.items.map((i) => p.scores[i]) })),
    }),
  );
}

/** The ratios to write into driftwatch.yaml (compression.ratios): one per class that compresses. */
export function ratiosToApply(decisions: TuneDecision[]): Record<string, number> {
  return Object.fromEntries(decisions.map((d) => [d.group, d.ratio]));
}

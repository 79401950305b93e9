import { mean } from './compression-metric.js';
import type { CompressionEvaluation } from './evaluate-compression.js';
import { tuneRatio, type TuneDecision } from './tune-ratio.js';

/**
 * Per task class (or per dataset when items carry no class): the most aggressive ratio, over all
 * ratio-targeting methods evaluated, whose paired drop stays within `maxDropPoints` by its 95%
 * upper bound (see tuneRatio). Each decision names the metric and its baseline (the class's mean on
 * the uncompressed context); a baseline under 0.2 recommends nothing. Pure over an evaluation.
 */
export function recommendRatios(evaluation: CompressionEvaluation, options: { maxDropPoints: number }): TuneDecision[] {
  return evaluation.groups.map((g) => {
    const baseline = g.items.map((i) => evaluation.baseline[i]);
    const decision = tuneRatio({
      group: g.name,
      extraction: g.extraction,
      maxDropPoints: options.maxDropPoints,
      metric: evaluation.metric,
      baseline,
      points: evaluation.points.map((p) => ({ ...p, scores: g.items.map((i) => p.scores[i]) })),
    });
    return { ...decision, metric: evaluation.metric, baseline: mean(baseline) };
  });
}

/**
 * The ratios to write into driftwatch.yaml (compression.ratios): one per class with a decision
 * (1 for no compression); a class whose metric does not apply gets nothing written.
 */
export function ratiosToApply(decisions: TuneDecision[]): Record<string, number> {
  return Object.fromEntries(decisions.flatMap((d) => (d.ratio === null ? [] : [[d.group, d.ratio]])));
}

import type { CompressionSeries } from '../reports/charts/report-series.js';
import { METRIC_LABEL, type CompressionReportInput } from './render-compression-markdown.js';

/**
 * The compression chart's numbers: the metric with its 95% interval per method and target ratio,
 * the uncompressed baseline and the accepted drop. Methods that do not target a ratio are left out
 * (they have no point on the ratio axis; the table shows them).
 */
export function buildCompressionSeries(input: CompressionReportInput, section = 'Compression'): CompressionSeries {
  const baseline = input.rows.find((r) => r.baseline !== null)?.baseline ?? null;
  return {
    section,
    dataset: input.dataset,
    metric: METRIC_LABEL[input.metric],
    baseline,
    maxDropPoints: input.maxDropPoints,
    points: input.rows.flatMap((r) =>
      r.ratio === null
        ? []
        : [{ method: r.method, ratio: r.ratio, value: r.score, lower: r.scoreLower, upper: r.scoreUpper, n: r.n }],
    ),
  };
}

/**
 * What a compression result is scored by. Offline: `retention` (a gold answer still present in the
 * context, or the share of gold evidence kept) and `reference-recall` (content tokens of the
 * reference answers present in the context, for abstractive answers). With a reference model
 * answering from the context: `exact-match` and `token-f1` of its answers against the references.
 */
export type CompressionMetric = 'retention' | 'reference-recall' | 'exact-match' | 'token-f1';

/** The metrics that need no model call, and those that need a reference model, in order of preference. */
export const OFFLINE_METRICS: CompressionMetric[] = ['retention', 'reference-recall'];
export const ANSWER_METRICS: CompressionMetric[] = ['exact-match', 'token-f1'];

/** Below this score on the uncompressed context a metric cannot tell a good ratio from a bad one. */
export const MIN_BASELINE = 0.2;

/** True when a metric whose mean on the uncompressed context is `baseline` can judge compression. */
export function metricApplies(baseline: number | null): boolean {
  return baseline !== null && baseline >= MIN_BASELINE;
}

/** The user-facing reason a metric was not used for a recommendation. */
export function notApplicableReason(metric: CompressionMetric, baseline: number | null): string {
  const b = baseline === null ? 'none (no items)' : baseline.toFixed(2);
  return `metric does not apply: baseline ${b} < ${MIN_BASELINE} (${metric} on the uncompressed context)`;
}

/**
 * The first metric of `candidates` that applies, by its baseline; when none does, the first one
 * (whose result then says it does not apply). Baselines are computed lazily, in order.
 */
export function chooseMetric(
  candidates: CompressionMetric[],
  baselineOf: (m: CompressionMetric) => number | null,
): CompressionMetric {
  for (const m of candidates) if (metricApplies(baselineOf(m))) return m;
  return candidates[0];
}

/** Mean of a list, null when empty. */
export function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

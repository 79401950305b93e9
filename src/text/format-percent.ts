/**
 * The one percent formatter: a fraction as a percentage with `digits` decimals (0.1234 -> "12.3%";
 * digits 2 -> "12.34%"), and `missing` (an em dash by default) for null, undefined, NaN or an infinity.
 */
export function formatPercent(rate: number | null | undefined, digits = 1, missing = '—'): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return missing;
  return `${(rate * 100).toFixed(digits)}%`;
}

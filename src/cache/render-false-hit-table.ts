import type { ThresholdAnalysis } from './false-hit-curve.js';

/** Options of the markdown false-hit table. */
export interface RenderOptions {
  /** Only thresholds on this step are listed (plus the recommended one); default 0.01. */
  step?: number;
  /** Width of the upper-bound bar in characters at the target; default 20. */
  barWidth?: number;
}

/**
 * Markdown table of the false-hit curve, only thresholds with judged lookups at or above the lowest
 * judged similarity: judged lookups at or above each threshold, false hits, the inclusion-weighted
 * rate, Kish's effective n, the anytime one-sided upper bound with a bar scaled to the target (`|`
 * marks it), where the step-down starts and which threshold it certified.
 */
export function renderFalseHitTable(a: ThresholdAnalysis, o: RenderOptions = {}): string {
  const step = o.step ?? 0.01;
  const width = o.barWidth ?? 20;
  const rec = a.recommended?.threshold;
  const rows = a.curve
    .filter((p) => isOnStep(p.threshold, step) || p.threshold === rec || p.threshold === a.start)
    .reverse();
  const level = `${Math.round((1 - a.alpha) * 100)}%`;
  const lines = [
    `| threshold | judged >= t | false hits | weighted rate | effective n | anytime ${level} upper | upper vs target ${pct(a.target)} | |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | :--- | :--- |',
  ];
  for (const p of rows) {
    const mark = [p.threshold === a.start ? 'start' : '', p.threshold === rec ? '**certified**' : '']
      .filter(Boolean)
      .join(', ');
    const upper = Number.isNaN(p.upper) ? '' : pct(p.upper);
    lines.push(
      `| ${p.threshold.toFixed(3)} | ${p.hits} | ${p.falseHits} | ${p.weightedRate === null ? '' : pct(p.weightedRate)} | ${Math.round(p.effectiveN)} | ${upper} | ${Number.isNaN(p.upper) ? '' : bar(p.upper / a.target, width)} | ${mark} |`,
    );
  }
  return lines.join('\n');
}

/** One line saying what was certified, or why not and (when it helps) how many more judged lookups are needed. */
export function renderRecommendation(a: ThresholdAnalysis): string {
  const level = `${Math.round((1 - a.alpha) * 100)}%`;
  if (a.recommended) {
    const r = a.recommended;
    const rate = r.weightedRate === null ? '' : `, weighted rate ${pct(r.weightedRate)}`;
    return `certified threshold ${r.threshold}: false-hit rate < ${pct(a.target)} (anytime ${level}, inclusion-weighted; ${r.falseHits} false of ${r.hits} judged${rate}, upper bound ${pct(r.falseHitUpper)}); serves ${pct(r.hitShare)} of lookups`;
  }
  const n = a.needed!;
  if (n.more === null || n.more === 0) return n.reason;
  return `${n.reason}; with no further false hit about ${n.more} more judged lookups at similarity >= ${n.startThreshold} would cross it`;
}

function bar(ratio: number, width: number): string {
  const cells = Math.min(2 * width, Math.round(ratio * width));
  const s = '█'
    .repeat(cells)
    .padEnd(2 * width, ' ')
    .split('');
  s.splice(width, 0, '|');
  return `\`${s.join('').trimEnd()}\``;
}

function isOnStep(t: number, step: number): boolean {
  const k = t / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
}

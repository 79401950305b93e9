import type { ThresholdAnalysis } from './false-hit-curve.js';

/** Options of the markdown false-hit table. */
export interface RenderOptions {
  /** Only thresholds on this step are listed (plus the recommended one); default 0.01. */
  step?: number;
  /** Width of the upper-bound bar in characters at the target; default 20. */
  barWidth?: number;
}

/**
 * Markdown table of the false-hit curve: judged lookups at or above each threshold, false hits,
 * observed rate, exact 95% upper bound with a bar scaled to the target (`|` marks the target),
 * and which threshold the fixed-sequence test certified.
 */
export function renderFalseHitTable(a: ThresholdAnalysis, o: RenderOptions = {}): string {
  const step = o.step ?? 0.01;
  const width = o.barWidth ?? 20;
  const rec = a.recommended?.threshold;
  const rows = a.curve.filter((p) => isOnStep(p.threshold, step) || p.threshold === rec).reverse();
  const lines = [
    `| threshold | judged >= t | false hits | rate | 95% upper | upper vs target ${pct(a.target)} | |`,
    '| ---: | ---: | ---: | ---: | ---: | :--- | :--- |',
  ];
  for (const p of rows) {
    const rate = p.hits ? p.falseHits / p.hits : 0;
    const mark = p.threshold === rec ? '**certified**' : '';
    lines.push(`| ${p.threshold.toFixed(3)} | ${p.hits} | ${p.falseHits} | ${pct(rate)} | ${pct(p.upper)} | ${bar(p.upper / a.target, width)} | ${mark} |`);
  }
  return lines.join('\n');
}

/** One line saying what was certified, or why not and how many more judged lookups are needed. */
export function renderRecommendation(a: ThresholdAnalysis): string {
  if (a.recommended) {
    const r = a.recommended;
    return `certified threshold ${r.threshold}: false-hit rate < ${pct(a.target)} at 95% (${r.falseHits} false of ${r.hits} judged, upper bound ${pct(r.falseHitUpper)}); serves ${pct(r.hitShare)} of lookups`;
  }
  const n = a.needed!;
  return `${n.reason}; about ${n.more} more judged lookups${n.startThreshold === null ? '' : ` at similarity >= ${n.startThreshold}`} would be needed (${n.judgedNeeded} in all with ${n.falseHitsAtStart} false hits)`;
}

function bar(ratio: number, width: number): string {
  const cells = Math.min(2 * width, Math.round(ratio * width));
  const s = '█'.repeat(cells).padEnd(2 * width, ' ').split('');
  s.splice(width, 0, '|');
  return '`' + s.join('').trimEnd() + '`';
}

function isOnStep(t: number, step: number): boolean {
  const k = t / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
}

import { cell, pct, table } from './markdown.js';
import { renderSparkline } from './render-sparkline.js';
import type { TrendPoint } from './report-summary.js';

/** How many runs the trend shows. */
export const TREND_RUNS = 14;

/**
 * The error-rate trend over the last 14 runs as a text sparkline table that reads anywhere (the
 * picture is the SVG chart written beside the report). `classes` fixes the row order.
 */
export function renderTrend(points: TrendPoint[], classes: string[], maxErrorRate: number): string {
  const runs = points.slice(-TREND_RUNS);
  if (runs.length === 0 || classes.length === 0) return '_No runs with judged samples yet._';
  // one scale: the corrected (true-scale) rate where the judge's fp/fn are known, else the raw rate (a perfect judge's)
  const series = classes.map((c) => runs.map((p) => p.corrected?.[c] ?? p.rates[c] ?? null));
  const counts = classes.map((c) =>
    runs.map((p) => (p.rates[c] === undefined || p.rates[c] === null ? null : (p.n?.[c] ?? null))),
  );
  const top = niceCeiling(Math.max(maxErrorRate, ...series.flat().filter((v): v is number => v !== null)) * 100);
  const corrected = classes.filter((c) => runs.some((p) => p.corrected?.[c] !== undefined));
  const scale = corrected.length
    ? `Each point is one run's verdicts (per run, not cumulative), design-weighted; ${corrected.join(', ')} ${corrected.length === 1 ? 'is' : 'are'} corrected for the judge's fp/fn (true scale), the others are raw rates of a judge taken as perfect, so every line shares the true-scale threshold.`
    : `Each point is one run's verdicts (per run, not cumulative), design-weighted; no class has a judge calibration, so rates are raw judge-flag rates compared with the threshold as if the judge were perfect.`;
  return [scale, renderSparklines(runs, classes, series, top / 100, counts, maxErrorRate)].join('\n\n');
}

function renderSparklines(
  runs: TrendPoint[],
  classes: string[],
  series: (number | null)[][],
  max: number,
  counts: (number | null)[][],
  threshold: number,
): string {
  const rows = classes.map((c, i) => {
    const s = series[i];
    const last = [...s].reverse().find((v) => v !== null) ?? null;
    const n = counts[i].map((x) => (x === null ? '·' : String(x))).join(' ');
    return [
      cell(c),
      `\`${renderSparkline(s, max)}\``,
      last === null ? 'no data' : pct(last),
      String(s.filter((v) => v !== null).length),
      n,
    ];
  });
  const note = `Error rate per class over the last ${runs.length} run(s), oldest first (threshold ${pct(threshold, 2)}). Sparklines share one scale (0 to ${pct(max, 1)}); "·" marks a run without judged samples for that class. "n per run" lists each point's judged verdicts, oldest first.`;
  return [
    table(['class', `last ${runs.length} runs`, 'latest', 'runs with data', 'n per run'], rows, [
      'l',
      'l',
      'r',
      'r',
      'l',
    ]),
    '',
    note,
  ].join('\n');
}

/** Rounds a percentage up to a readable axis top (1, 2, 5, 10, 20, 50, 100). */
function niceCeiling(percent: number): number {
  for (const step of [1, 2, 5, 10, 20, 50]) if (percent <= step) return step;
  return 100;
}

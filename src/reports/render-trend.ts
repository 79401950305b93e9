import { cell, escapeMarkdown, pct, table } from './markdown.js';
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
  const series = classes.map((c) => runs.map((p) => p.rates[c] ?? null));
  const top = niceCeiling(Math.max(maxErrorRate, ...series.flat().filter((v): v is number => v !== null)) * 100);
  return renderSparklines(runs, classes, series, top / 100, maxErrorRate);
}

function renderSparklines(runs: TrendPoint[], classes: string[], series: (number | null)[][], max: number, threshold: number): string {
  const rows = classes.map((c, i) => {
    const s = series[i];
    const last = [...s].reverse().find((v) => v !== null) ?? null;
    return [cell(c), `\`${renderSparkline(s, max)}\``, pct(last), String(s.filter((v) => v !== null).length)];
  });
  const note = `Error rate per class over the last ${runs.length} run(s), oldest first (threshold ${pct(threshold, 2)}). Sparklines share one scale (0 to ${pct(max, 1)}); "·" marks a run without judged samples for that class.`;
  return [table(['class', `last ${runs.length} runs`, 'latest', 'runs with data'], rows, ['l', 'l', 'r', 'r']), '', note].join('\n');
}

/** Rounds a percentage up to a readable axis top (1, 2, 5, 10, 20, 50, 100). */
function niceCeiling(percent: number): number {
  for (const step of [1, 2, 5, 10, 20, 50]) if (percent <= step) return step;
  return 100;
}

import { cell, escapeMarkdown, pct, table } from './markdown.js';
import { renderSparkline } from './render-sparkline.js';
import type { TrendPoint } from './report-summary.js';

/** How many runs the trend shows. */
export const TREND_RUNS = 14;

/**
 * The error-rate trend over the last 14 runs: a mermaid `xychart-beta` block (GitHub renders
 * it) with one line per class plus the threshold, and a text sparkline table that reads
 * anywhere. `classes` fixes the line order.
 */
export function renderTrend(points: TrendPoint[], classes: string[], maxErrorRate: number): string {
  const runs = points.slice(-TREND_RUNS);
  if (runs.length === 0 || classes.length === 0) return '_No runs with judged samples yet._';
  // one scale: the corrected (true-scale) rate where the judge's fp/fn are known, else the raw rate (a perfect judge's)
  const series = classes.map((c) => runs.map((p) => p.corrected?.[c] ?? p.rates[c] ?? null));
  const counts = classes.map((c) => runs.map((p) => (p.rates[c] === undefined || p.rates[c] === null ? null : (p.n?.[c] ?? null))));
  const top = niceCeiling(Math.max(maxErrorRate, ...series.flat().filter((v): v is number => v !== null)) * 100);
  const corrected = classes.filter((c) => runs.some((p) => p.corrected?.[c] !== undefined));
  const scale = corrected.length
    ? `Each point is one run's verdicts (per run, not cumulative), design-weighted; ${corrected.join(', ')} ${corrected.length === 1 ? 'is' : 'are'} corrected for the judge's fp/fn (true scale), the others are raw rates of a judge taken as perfect, so every line shares the true-scale threshold.`
    : `Each point is one run's verdicts (per run, not cumulative), design-weighted; no class has a judge calibration, so rates are raw judge-flag rates compared with the threshold as if the judge were perfect.`;
  return [scale, renderMermaid(runs, classes, series, maxErrorRate, top), renderSparklines(runs, classes, series, top / 100, counts)].join('\n\n');
}

function renderMermaid(runs: TrendPoint[], allClasses: string[], allSeries: (number | null)[][], threshold: number, top: number): string {
  const labels = uniqueLabels(runs.map((r) => r.label));
  // a class without any judged sample in these runs gets no line (not a 0% line)
  const keep = allSeries.map((s) => s.some((v) => v !== null));
  const classes = allClasses.filter((_, i) => keep[i]);
  const series = allSeries.filter((_, i) => keep[i]);
  const noData = allClasses.filter((_, i) => !keep[i]);
  const lines = series.map((s) => `  line [${carryForward(s).map(fmt).join(', ')}]`);
  const legend = [...classes.map((c, i) => `${i + 1}. ${escapeMarkdown(c)}`), `${classes.length + 1}. threshold ${pct(threshold, 2)}`].join(', ');
  return [
    `Error rate per class over the last ${runs.length} run(s), in percent. Lines in order: ${legend}.${noData.length ? ` No data (no judged sample in these runs): ${noData.map(escapeMarkdown).join(', ')}.` : ''}`,
    '',
    '```mermaid',
    'xychart-beta',
    `  title "Error rate per class (%)"`,
    `  x-axis [${labels.map(mermaidString).join(', ')}]`,
    `  y-axis "error rate (%)" 0 --> ${fmt(top / 100)}`,
    ...lines,
    `  line [${runs.map(() => fmt(threshold)).join(', ')}]`,
    '```',
  ].join('\n');
}

function renderSparklines(runs: TrendPoint[], classes: string[], series: (number | null)[][], max: number, counts: (number | null)[][]): string {
  const rows = classes.map((c, i) => {
    const s = series[i];
    const last = [...s].reverse().find((v) => v !== null) ?? null;
    const n = counts[i].map((x) => (x === null ? '·' : String(x))).join(' ');
    return [cell(c), `\`${renderSparkline(s, max)}\``, last === null ? 'no data' : pct(last), String(s.filter((v) => v !== null).length), n];
  });
  const note = `Sparklines share one scale (0 to ${pct(max, 1)}); "·" marks a run without judged samples for that class (the chart repeats the nearest earlier value there, or the first one before any). "n per run" lists each point's judged verdicts, oldest first.`;
  return [table(['class', `last ${runs.length} runs`, 'latest', 'runs with data', 'n per run'], rows, ['l', 'l', 'r', 'r', 'l']), '', note].join('\n');
}

/** A mermaid string literal: mermaid has no escapes, so quotes and line breaks are replaced. */
function mermaidString(label: string): string {
  return `"${label.replace(/["\r\n]/g, "'")}"`;
}

/** Mermaid lines cannot have gaps: a missing run repeats the previous value (the first value before any). */
function carryForward(values: (number | null)[]): number[] {
  let prev = values.find((v) => v !== null) ?? 0;
  return values.map((v) => (v === null ? prev : (prev = v)));
}

function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return k === 1 ? l : `${l} #${k}`;
  });
}

/** A rate as a percentage number with two decimals, for the chart's data arrays. */
function fmt(rate: number): string {
  return String(Math.round(rate * 10_000) / 100);
}

/** Rounds a percentage up to a readable axis top (1, 2, 5, 10, 20, 50, 100). */
function niceCeiling(percent: number): number {
  for (const step of [1, 2, 5, 10, 20, 50]) if (percent <= step) return step;
  return 100;
}

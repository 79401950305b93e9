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
  const series = classes.map((c) => runs.map((p) => p.rates[c] ?? null));
  const top = niceCeiling(Math.max(maxErrorRate, ...series.flat().filter((v): v is number => v !== null)) * 100);
  return [renderMermaid(runs, classes, series, maxErrorRate, top), renderSparklines(runs, classes, series, top / 100)].join('\n\n');
}

function renderMermaid(runs: TrendPoint[], classes: string[], series: (number | null)[][], threshold: number, top: number): string {
  const labels = uniqueLabels(runs.map((r) => r.label));
  const lines = series.map((s) => `  line [${carryForward(s).map(fmt).join(', ')}]`);
  const legend = [...classes.map((c, i) => `${i + 1}. ${escapeMarkdown(c)}`), `${classes.length + 1}. threshold ${pct(threshold, 2)}`].join(', ');
  return [
    `Error rate per class over the last ${runs.length} run(s), in percent. Lines in order: ${legend}.`,
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

function renderSparklines(runs: TrendPoint[], classes: string[], series: (number | null)[][], max: number): string {
  const rows = classes.map((c, i) => {
    const s = series[i];
    const last = [...s].reverse().find((v) => v !== null) ?? null;
    return [cell(c), `\`${renderSparkline(s, max)}\``, pct(last), String(s.filter((v) => v !== null).length)];
  });
  const note = `Sparklines share one scale (0 to ${pct(max, 1)}); "·" marks a run without judged samples for that class (the chart repeats the previous value there).`;
  return [table(['class', `last ${runs.length} runs`, 'latest', 'runs with data'], rows, ['l', 'l', 'r', 'r']), '', note].join('\n');
}

/** A mermaid string literal: mermaid has no escapes, so quotes and line breaks are replaced. */
function mermaidString(label: string): string {
  return `"${label.replace(/["\r\n]/g, "'")}"`;
}

/** Mermaid lines cannot have gaps: a missing run repeats the previous value (0 before any). */
function carryForward(values: (number | null)[]): number[] {
  let prev = 0;
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

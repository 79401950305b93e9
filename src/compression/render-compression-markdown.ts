import { cell, escapeMarkdown } from '../reports/markdown.js';
import type { CompressionRow } from './evaluate-compression.js';
import type { TuneDecision } from './tune-ratio.js';

/** What the compression section of a report shows. */
export interface CompressionReportInput {
  dataset: string;
  metric: 'retention' | 'exact-match';
  rows: CompressionRow[];
  decisions: TuneDecision[];
  maxDropPoints: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Pure markdown for the nightly/demo report: the results table (retention with its 95% interval,
 * achieved ratio, tokens saved, accuracy when a reference model answered), a mermaid
 * xychart-beta of retention against ratio per method, and the recommended ratio per class.
 */
export function renderCompressionMarkdown(input: CompressionReportInput): string {
  const guard = renderFieldDrops(input.rows);
  return [`### Compression: ${escapeMarkdown(input.dataset)}`, '', renderTable(input.rows), '', renderChart(input.rows), '', ...(guard ? [guard, ''] : []), renderDecisions(input), ''].join('\n');
}

function renderTable(rows: CompressionRow[]): string {
  const withAccuracy = rows.some((r) => r.accuracy);
  const head = ['method', 'target ratio', 'achieved', 'n', 'retention (95% CI)', 'tokens saved', ...(withAccuracy ? ['EM (95% CI)', 'F1', 'EM full context'] : [])];
  const lines = rows.map((r) => {
    const cells = [cell(r.method), r.ratio === null ? 'none' : r.ratio.toFixed(2), r.achievedRatio.toFixed(3), String(r.n), `${pct(r.answerRetention)} (${pct(r.lower)}-${pct(r.upper)})`, `${r.tokensSaved} (${pct(r.originalTokens ? r.tokensSaved / r.originalTokens : 0)})`];
    if (withAccuracy) cells.push(r.accuracy ? `${pct(r.accuracy.exactMatch)} (${pct(r.accuracy.lower)}-${pct(r.accuracy.upper)})` : '', r.accuracy ? r.accuracy.f1.toFixed(3) : '', r.baselineAccuracy ? pct(r.baselineAccuracy.exactMatch) : '');
    return `| ${cells.join(' | ')} |`;
  });
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...lines].join('\n');
}

/** Extraction guard: per field and ratio, items whose expected value compression removed. */
function renderFieldDrops(rows: CompressionRow[]): string | undefined {
  const lines = rows.flatMap((r) =>
    Object.entries(r.fieldDrops ?? {}).map(([field, t]) => `| ${cell(r.method)} | ${r.ratio === null ? 'none' : r.ratio.toFixed(2)} | ${cell(field)} | ${t.present} | ${t.dropped}${t.dropped > 0 ? ' (!)' : ''} |`),
  );
  if (lines.length === 0) return undefined;
  return ['Extraction guard: items whose expected field value was in the context and is missing after compression.', '', '| method | target ratio | field | present before | dropped |', '| --- | --- | --- | --- | --- |', ...lines].join('\n');
}

function renderChart(rows: CompressionRow[]): string {
  const targeted = rows.filter((r) => r.ratio !== null);
  const ratios = [...new Set(targeted.map((r) => r.ratio as number))].sort((a, b) => a - b);
  const methods = [...new Set(targeted.map((r) => r.method))];
  if (ratios.length === 0) return '_No ratio-targeting method was evaluated, so there is no curve._';
  const series = methods.map((m) => ratios.map((x) => targeted.find((r) => r.method === m && r.ratio === x)).map((r) => (r ? (100 * r.answerRetention).toFixed(1) : '0')));
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Retention vs compression ratio"',
    `    x-axis "target ratio (compressed / original tokens)" [${ratios.map((x) => `"${x}"`).join(', ')}]`,
    '    y-axis "retention (%)" 0 --> 100',
    ...series.map((s) => `    line [${s.join(', ')}]`),
    '```',
    `Lines, in order: ${methods.map(escapeMarkdown).join(', ')}.`,
  ].join('\n');
}

function renderDecisions(input: CompressionReportInput): string {
  const metric = input.metric === 'retention' ? 'retention' : 'exact match';
  const lines = input.decisions.map((d) =>
    d.kind === 'compress'
      ? `- **${escapeMarkdown(d.group)}**: ratio ${d.ratio} with ${escapeMarkdown(d.method)} (n=${d.n}; ${metric} drop ${(100 * d.drop.drop).toFixed(1)} points, 95% upper bound ${(100 * d.drop.upper).toFixed(1)})`
      : `- **${escapeMarkdown(d.group)}**: no compression (ratio 1.0): ${escapeMarkdown(d.reason)}`,
  );
  return [`Recommended ratio per class (largest acceptable ${metric} drop: ${input.maxDropPoints} points, by the upper 95% bound of the paired drop):`, ...lines].join('\n');
}

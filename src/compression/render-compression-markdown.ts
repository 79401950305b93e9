import { cell, escapeMarkdown } from '../reports/markdown.js';
import { metricApplies, notApplicableReason, type CompressionMetric } from './compression-metric.js';
import type { CompressionRow } from './compression-row.js';
import type { TuneDecision } from './tune-ratio.js';

/** What the compression section of a report shows. */
export interface CompressionReportInput {
  dataset: string;
  metric: CompressionMetric;
  rows: CompressionRow[];
  decisions: TuneDecision[];
  maxDropPoints: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** How each metric is named in the report. */
export const METRIC_LABEL: Record<CompressionMetric, string> = {
  retention: 'retention',
  'reference-recall': 'reference recall',
  'exact-match': 'exact match',
  'token-f1': 'token F1',
};

const METRIC_MEANING: Record<CompressionMetric, string> = {
  retention: 'a gold answer still present in the context (or the share of gold evidence kept)',
  'reference-recall':
    "the share of the reference answers' content words still present in the context (mean over references)",
  'exact-match': "the reference model's answer from the context equals a gold answer",
  'token-f1': "token F1 of the reference model's answer from the context against the gold answers",
};

/**
 * Pure markdown for the nightly/demo report: the metric and its baseline on the uncompressed
 * context (or why it does not apply), the results table (the metric with its 95% interval,
 * achieved ratio, tokens saved, accuracy when a reference model answered), the extraction guard
 * and the recommended ratio per class. The curve is an SVG chart (buildCompressionSeries).
 */
export function renderCompressionMarkdown(input: CompressionReportInput): string {
  const guard = renderFieldDrops(input.rows);
  return [
    `### Compression: ${escapeMarkdown(input.dataset)}`,
    '',
    renderMetricLine(input),
    '',
    renderTable(input.rows, input.metric),
    '',
    ...(guard ? [guard, ''] : []),
    renderDecisions(input),
    '',
  ].join('\n');
}

function renderMetricLine(input: CompressionReportInput): string {
  const baseline = input.rows[0]?.baseline ?? null;
  const head = `Metric: **${METRIC_LABEL[input.metric]}**, ${METRIC_MEANING[input.metric]}.`;
  if (!input.rows.length) return head;
  return metricApplies(baseline)
    ? `${head} Baseline on the uncompressed context: ${baseline!.toFixed(2)}.`
    : `${head} **${capitalise(notApplicableReason(input.metric, baseline))}**: it cannot tell a good ratio from a bad one here, so no ratio is recommended from it.`;
}

function renderTable(rows: CompressionRow[], metric: CompressionMetric): string {
  const withAccuracy = rows.some((r) => r.accuracy);
  const own = metric !== 'retention' && !(withAccuracy && metric === 'exact-match');
  const head = [
    'method',
    'target ratio',
    'achieved',
    'n',
    ...(own ? [`${METRIC_LABEL[metric]} (95% CI)`] : []),
    'retention (95% CI)',
    'tokens saved',
    ...(withAccuracy ? ['EM (95% CI)', 'F1', 'EM full context'] : []),
  ];
  const lines = rows.map((r) => {
    const cells = [
      cell(r.method),
      r.ratio === null ? 'none' : r.ratio.toFixed(2),
      r.achievedRatio.toFixed(3),
      String(r.n),
    ];
    if (own) cells.push(`${pct(r.score)} (${pct(r.scoreLower)}-${pct(r.scoreUpper)})`);
    cells.push(
      `${pct(r.answerRetention)} (${pct(r.lower)}-${pct(r.upper)})`,
      `${r.tokensSaved} (${pct(r.originalTokens ? r.tokensSaved / r.originalTokens : 0)})`,
    );
    if (withAccuracy)
      cells.push(
        r.accuracy ? `${pct(r.accuracy.exactMatch)} (${pct(r.accuracy.lower)}-${pct(r.accuracy.upper)})` : '',
        r.accuracy ? r.accuracy.f1.toFixed(3) : '',
        r.baselineAccuracy ? pct(r.baselineAccuracy.exactMatch) : '',
      );
    return `| ${cells.join(' | ')} |`;
  });
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...lines].join('\n');
}

/** Extraction guard: per field and ratio, items whose expected value compression removed. */
function renderFieldDrops(rows: CompressionRow[]): string | undefined {
  const lines = rows.flatMap((r) =>
    Object.entries(r.fieldDrops ?? {}).map(
      ([field, t]) =>
        `| ${cell(r.method)} | ${r.ratio === null ? 'none' : r.ratio.toFixed(2)} | ${cell(field)} | ${t.present} | ${t.dropped}${t.dropped > 0 ? ' (!)' : ''} |`,
    ),
  );
  if (lines.length === 0) return undefined;
  return [
    'Extraction guard: items whose expected field value was in the context and is missing after compression.',
    '',
    '| method | target ratio | field | present before | dropped |',
    '| --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

// Decision reasons are built by tuneRatio from numbers and fixed words; the class name is escaped.
function renderDecisions(input: CompressionReportInput): string {
  const metric = METRIC_LABEL[input.metric];
  const lines = input.decisions.map((d) =>
    d.kind === 'compress'
      ? `- **${escapeMarkdown(d.group)}**: ratio ${d.ratio} with ${escapeMarkdown(d.method)} (n=${d.n}; ${metric} drop ${(100 * d.drop.drop).toFixed(1)} points, 95% upper bound ${(100 * d.drop.upper).toFixed(1)})`
      : d.kind === 'none'
        ? `- **${escapeMarkdown(d.group)}**: no compression (ratio 1.0): ${d.reason}`
        : `- **${escapeMarkdown(d.group)}**: nothing recommended: ${d.reason}`,
  );
  return [
    `Recommended ratio per class (largest acceptable ${metric} drop: ${input.maxDropPoints} points, by the upper 95% bound of the paired drop):`,
    ...lines,
  ].join('\n');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

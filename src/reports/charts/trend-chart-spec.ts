import type { TopLevelSpec } from 'vega-lite';
import type { TrendSeries } from './report-series.js';
import {
  ALERT_COLOUR,
  CHART_CONFIG,
  CHART_WIDTH,
  percent,
  seriesColour,
  TEXT_COLOUR,
  wrapCaption,
} from './chart-style.js';

/**
 * The error-rate trend as a vega-lite spec: one panel per class (titled with the class), each with
 * its own y scale so a 1% class and a 40% class both read; the rate per run as a line with dots,
 * the 95% interval as a band, n above each dot, the threshold as a dashed line on the same scale,
 * and escalations marked. A run without data is a gap; a class with none says so instead of a line.
 */
export function trendChartSpec(series: TrendSeries): TopLevelSpec {
  const labels = uniqueLabels(series.classes[0]?.points.map((p) => p.label) ?? []);
  const panels = series.classes.map((c, i) => trendPanel(c, seriesColour(i), labels, series.threshold));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Error rate per class, last ${labels.length} run(s)`,
      subtitle: wrapCaption(
        `Line and dots: each run's own error rate. Band: its 95% interval. Number above a dot: n judged. ` +
          `Dashed line: the ${percent(series.threshold, 2)} threshold. Triangle: escalated in that run. A gap: a run with no judged sample.`,
      ),
    },
    config: CHART_CONFIG,
    vconcat: panels,
  } as TopLevelSpec;
}

type TrendClass = TrendSeries['classes'][number];
type RunEncoding = ReturnType<typeof runAxis>;
type RateEncoding = ReturnType<typeof rateAxis>;

const PLOT_WIDTH = CHART_WIDTH - 150;

/** One class's panel: its own y scale topped above its highest bound and the threshold. */
function trendPanel(c: TrendClass, colour: string, labels: string[], threshold: number) {
  const values = panelValues(c, labels);
  const withData = values.filter((v) => v.rate !== null);
  const top = niceTop(Math.max(threshold * 1.6, ...withData.map((v) => (v.upper ?? v.rate ?? 0) * 1.12)));
  const x = runAxis(labels);
  const layers = withData.length === 0 ? noDataLayers(labels, x) : rateLayers(c.taskType, colour, x, top);
  return {
    title: {
      text: withData.length === 0 ? `${c.taskType}: no data` : c.taskType,
      fontSize: 13,
      color: TEXT_COLOUR,
      anchor: 'start' as const,
    },
    width: PLOT_WIDTH,
    height: 130,
    data: { values },
    layer: [...layers, ...thresholdLayers(threshold, top)],
  };
}

/** The panel's rows: one per run, with the accessible description of its dot. */
function panelValues(c: TrendClass, labels: string[]) {
  return c.points.map((p, k) => ({
    run: labels[k],
    rate: p.rate,
    lower: p.lower ?? p.rate,
    upper: p.upper ?? p.rate,
    n: p.rate === null ? null : `${p.n}`,
    moved:
      p.decision === 'escalate' || p.decision === 'deescalate'
        ? p.decision === 'escalate'
          ? 'escalated'
          : 'de-escalated'
        : null,
    description:
      p.rate === null
        ? `${c.taskType}, run ${labels[k]}: no judged sample`
        : `${c.taskType}, run ${labels[k]}: error rate ${percent(p.rate)}${p.lower !== null && p.upper !== null ? ` (95% interval ${percent(p.lower)} to ${percent(p.upper)})` : ''}, n = ${p.n}${p.decision ? `, ${p.decision}` : ''}`,
  }));
}

function runAxis(labels: string[]) {
  return {
    field: 'run',
    type: 'ordinal' as const,
    sort: labels,
    scale: { domain: labels },
    title: null,
    axis: { labelAngle: labels.length > 7 ? -40 : 0 },
  };
}

function rateAxis(top: number) {
  return {
    field: 'rate',
    type: 'quantitative' as const,
    title: 'error rate',
    scale: { domain: [0, top] },
    axis: { format: '.1%', tickCount: 4 },
  };
}

/** The dashed threshold on the panel's scale, and its label beside the plot so it never covers a point. */
function thresholdLayers(threshold: number, top: number) {
  return [
    {
      data: { values: [{}] },
      mark: { type: 'rule' as const, color: ALERT_COLOUR, strokeDash: [6, 4], strokeWidth: 2 },
      encoding: {
        y: {
          datum: threshold,
          type: 'quantitative' as const,
          title: 'error rate',
          scale: { domain: [0, top] },
          axis: { format: '.1%', tickCount: 4 },
        },
        description: { value: `threshold ${percent(threshold, 2)}` },
      },
    },
    {
      data: { values: [{}] },
      mark: {
        type: 'text' as const,
        color: ALERT_COLOUR,
        align: 'left' as const,
        baseline: 'middle' as const,
        x: PLOT_WIDTH + 6,
        fontSize: 11,
        lineBreak: '\n',
      },
      encoding: {
        y: { datum: threshold, type: 'quantitative' as const },
        text: { value: `threshold\n${percent(threshold, 2)}` },
      },
    },
  ];
}

/** A class with no judged sample in these runs says so instead of drawing a line. */
function noDataLayers(labels: string[], x: RunEncoding) {
  return [
    {
      data: { values: [{ run: labels[Math.floor(labels.length / 2)] }] },
      mark: { type: 'text' as const, color: TEXT_COLOUR, fontSize: 13, fontStyle: 'italic', y: 35 },
      encoding: { x, text: { value: 'no judged sample in these runs (no line)' } },
    },
  ];
}

/** Interval band, rate line, dots with their descriptions, n above each dot, then the escalation marks. */
function rateLayers(taskType: string, colour: string, x: RunEncoding, top: number) {
  const y = rateAxis(top);
  return [
    {
      mark: {
        type: 'area' as const,
        color: colour,
        opacity: 0.22,
        invalid: 'break-paths-show-domains' as const,
      },
      encoding: {
        x,
        y: { field: 'lower', type: 'quantitative' as const, scale: { domain: [0, top] } },
        y2: { field: 'upper' },
        description: { value: `${taskType}: 95% interval band` },
      },
    },
    {
      mark: {
        type: 'line' as const,
        color: colour,
        strokeWidth: 2.5,
        invalid: 'break-paths-show-domains' as const,
      },
      encoding: { x, y, description: { value: `${taskType}: error-rate line` } },
    },
    {
      transform: [{ filter: 'datum.rate != null' }],
      mark: { type: 'point' as const, filled: true, size: 55, color: colour, opacity: 1 },
      encoding: { x, y, description: { field: 'description' } },
    },
    {
      transform: [{ filter: 'datum.rate != null' }],
      mark: { type: 'text' as const, dy: -10, fontSize: 10, color: TEXT_COLOUR },
      encoding: { x, y, text: { field: 'n' } },
    },
    ...escalationLayers(x, y),
  ];
}

/** A triangle under each run in which the class moved, labelled escalated or de-escalated. */
function escalationLayers(x: RunEncoding, y: RateEncoding) {
  return [
    {
      transform: [{ filter: 'datum.moved != null' }],
      mark: {
        type: 'point' as const,
        shape: 'triangle-up',
        filled: true,
        size: 160,
        color: ALERT_COLOUR,
        yOffset: 16,
        opacity: 1,
      },
      encoding: { x, y },
    },
    {
      transform: [{ filter: 'datum.moved != null' }],
      mark: { type: 'text' as const, color: ALERT_COLOUR, fontWeight: 'bold' as const, fontSize: 11, dy: 30 },
      encoding: { x, y, text: { field: 'moved' } },
    },
  ];
}

function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return k === 1 ? l : `${l} #${k}`;
  });
}

/** Rounds an axis top up to a round step (1, 1.5, 2, ..., 8 times a power of ten), at most 100%. */
export function niceTop(x: number): number {
  if (!(x > 0)) return 0.05;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (x <= m * p + 1e-12) return Math.min(1, m * p);
  return 1;
}

import type { TopLevelSpec } from 'vega-lite';
import type { CompressionSeries } from './report-series.js';
import {
  ALERT_COLOUR,
  CHART_CONFIG,
  CHART_WIDTH,
  REFERENCE_COLOUR,
  seriesColour,
  TEXT_COLOUR,
  wrapCaption,
} from './chart-style.js';

/**
 * The compression metric against target ratio as a vega-lite spec: one panel per method (titled
 * with it, so methods with identical results cannot hide each other), the metric with its 95%
 * interval as error bars, the uncompressed baseline as a solid line and the largest accepted drop
 * below it as a dashed line, on one shared y scale.
 */
export function compressionChartSpec(series: CompressionSeries): TopLevelSpec {
  const methods = [...new Set(series.points.map((p) => p.method))];
  const ratios = [...new Set(series.points.map((p) => p.ratio))].sort((a, b) => a - b);
  const columns = Math.min(3, Math.max(1, methods.length));
  const width = Math.floor((CHART_WIDTH - 20 - columns * 60 - (columns - 1) * 24) / columns);
  const floor = series.baseline === null ? null : series.baseline - series.maxDropPoints / 100;
  const low = Math.min(...series.points.map((p) => p.lower), floor ?? 1);
  const domain = [Math.max(0, Math.floor(low * 10) / 10), 1];
  const x = {
    field: 'ratio',
    type: 'quantitative' as const,
    title: 'target ratio',
    scale: { domain: [0, 1] },
    axis: { values: ratios, format: '.1f' },
  };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: series.metric,
    scale: { domain },
    axis: { format: '.0%', tickCount: 5 },
  };
  const refs = series.baseline === null ? [] : referenceLayers(series.baseline, floor, series.maxDropPoints, width);
  const panels = methods.map((m, i) => {
    const values = series.points
      .filter((p) => p.method === m)
      .sort((a, b) => a.ratio - b.ratio)
      .map((p) => ({
        ...p,
        description: `${m} at ratio ${p.ratio}: ${series.metric} ${pct(p.value)} (95% interval ${pct(p.lower)} to ${pct(p.upper)}), n = ${p.n}`,
      }));
    return {
      title: { text: m, fontSize: 13, color: TEXT_COLOUR, anchor: 'start' as const },
      width,
      height: 200,
      data: { values },
      layer: [...methodLayers(m, seriesColour(i), x, y), ...refs],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${capitalise(series.metric)} vs compression ratio, ${series.dataset}`,
      subtitle: wrapCaption(
        `One panel per method. Dots: ${series.metric} at each target ratio; bars: 95% interval (n = ${[...new Set(series.points.map((p) => p.n))].join(', ')} items). ` +
          (series.baseline === null
            ? 'No baseline: the metric has no value on the uncompressed context.'
            : `Solid line: uncompressed baseline. Dashed: the largest accepted drop, ${series.maxDropPoints} points (decided on the paired drop's upper bound).`),
      ),
    },
    config: CHART_CONFIG,
    columns,
    concat: panels,
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

interface RatioAxis {
  field: string;
  type: 'quantitative';
  title: string;
  scale: { domain: number[] };
  axis: { values: number[]; format: string };
}
interface MetricAxis {
  field: string;
  type: 'quantitative';
  title: string;
  scale: { domain: number[] };
  axis: { format: string; tickCount: number };
}

/** One method's interval bars, line and described dots. */
function methodLayers(method: string, colour: string, x: RatioAxis, y: MetricAxis) {
  return [
    {
      mark: { type: 'rule' as const, color: colour, strokeWidth: 2 },
      encoding: {
        x,
        y: { field: 'lower', type: 'quantitative' as const, scale: { domain: y.scale.domain } },
        y2: { field: 'upper' },
        description: { value: `${method}: 95% interval` },
      },
    },
    { mark: { type: 'line' as const, color: colour, strokeWidth: 2 }, encoding: { x, y } },
    {
      mark: { type: 'point' as const, filled: true, size: 60, color: colour, opacity: 1 },
      encoding: { x, y, description: { field: 'description' } },
    },
  ];
}

/** The uncompressed baseline (solid) and the largest accepted drop below it (dashed), each labelled. */
function referenceLayers(baseline: number, floor: number | null, maxDropPoints: number, width: number) {
  return [
    {
      data: { values: [{}] },
      mark: { type: 'rule' as const, color: REFERENCE_COLOUR, strokeWidth: 1.5 },
      encoding: {
        y: { datum: baseline, type: 'quantitative' as const },
        description: { value: `baseline ${pct(baseline)}` },
      },
    },
    {
      data: { values: [{}] },
      mark: {
        type: 'text' as const,
        color: REFERENCE_COLOUR,
        align: 'left' as const,
        baseline: 'bottom' as const,
        x: 2,
        dy: -2,
        fontSize: 10,
      },
      encoding: {
        y: { datum: baseline, type: 'quantitative' as const },
        text: { value: `uncompressed ${pct(baseline)}` },
      },
    },
    {
      data: { values: [{}] },
      mark: { type: 'rule' as const, color: ALERT_COLOUR, strokeDash: [6, 4], strokeWidth: 2 },
      encoding: {
        y: { datum: floor, type: 'quantitative' as const },
        description: { value: `accepted drop ${maxDropPoints} points` },
      },
    },
    {
      data: { values: [{}] },
      mark: {
        type: 'text' as const,
        color: ALERT_COLOUR,
        align: 'right' as const,
        baseline: 'top' as const,
        x: width - 2,
        dy: 3,
        fontSize: 10,
      },
      encoding: {
        y: { datum: floor, type: 'quantitative' as const },
        text: { value: `accepted drop −${maxDropPoints} pts` },
      },
    },
  ];
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

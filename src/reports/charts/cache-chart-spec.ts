import type { TopLevelSpec } from 'vega-lite';
import type { CacheSeries } from './report-series.js';
import {
  ALERT_COLOUR,
  CHART_CONFIG,
  CHART_WIDTH,
  percent,
  REFERENCE_COLOUR,
  seriesColour,
  TEXT_COLOUR,
  wrapCaption,
} from './chart-style.js';

/**
 * The cache false-hit curve as a vega-lite spec: one panel per task class, the anytime 95% upper
 * bound of the false-hit rate at each similarity threshold (solid) and the weighted estimate
 * (thin), the target as a dashed line, the certified threshold and the current one as vertical
 * lines. The y axis stops at a few times the target so the target reads; higher bounds run off it.
 */
export function cacheChartSpec(series: CacheSeries): TopLevelSpec {
  const top = cacheAxisTop(series);
  const y = {
    type: 'quantitative' as const,
    title: 'false-hit rate',
    scale: { domain: [0, top], clamp: true },
    axis: { format: '.1%', tickCount: 5 },
  };
  const panels = series.classes.map((c, i) => cachePanel(c, seriesColour(i), y, series.target));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Cache false hits by similarity threshold, per task class',
      subtitle: wrapCaption(
        'Thick line: anytime 95% upper bound of the false-hit rate of hits at or above each threshold; dotted: the weighted estimate. ' +
          `Dashed: the ${percent(series.target, 2)} target. Solid vertical: the certified threshold; dotted vertical: the threshold now. ` +
          `The axis stops at ${percent(top, 1)}; higher bounds run along its top.`,
      ),
    },
    config: CHART_CONFIG,
    vconcat: panels,
  } as TopLevelSpec;
}

type CacheClass = CacheSeries['classes'][number];
interface RateAxis {
  type: 'quantitative';
  title: string;
  scale: { domain: number[]; clamp: boolean };
  axis: { format: string; tickCount: number };
}

/** One class's panel: its curve (or a note that there is none), the target, the certified and current thresholds. */
function cachePanel(c: CacheClass, colour: string, y: RateAxis, target: number) {
  const top = y.scale.domain[1];
  const points = c.points.filter((p) => p.hits > 0);
  const thresholds = points.map((p) => p.threshold);
  const lo = Math.min(...thresholds, c.currentThreshold, c.certifiedThreshold ?? 1);
  const hi = Math.max(...thresholds, c.currentThreshold, c.certifiedThreshold ?? 0);
  const xDomain = [Math.floor(lo * 20) / 20, Math.min(1, Math.ceil(hi * 20) / 20)];
  const values = points.map((p) => ({
    ...p,
    bound: Math.min(p.upper, top),
    description: `${c.taskType} at threshold ${p.threshold}: upper bound ${percent(p.upper, 2)}${p.weightedRate === null ? '' : `, weighted estimate ${percent(p.weightedRate, 2)}`}, ${p.hits} judged`,
  }));
  return {
    title: {
      text: `${c.taskType}: ${c.certifiedThreshold === null ? 'not certified' : `certified at ${c.certifiedThreshold}`}`,
      fontSize: 13,
      color: TEXT_COLOUR,
      anchor: 'start' as const,
    },
    width: CHART_WIDTH - 100,
    height: 170,
    data: { values },
    layer: [
      ...(points.length === 0 ? noCurveLayers() : curveLayers(colour, xDomain, y)),
      ...targetLayers(target, y),
      ...(c.certifiedThreshold === null
        ? []
        : verticalLayers(c.certifiedThreshold, `certified ${c.certifiedThreshold}`, '#000000', [], 0, xDomain)),
      ...verticalLayers(c.currentThreshold, `now ${c.currentThreshold}`, REFERENCE_COLOUR, [2, 3], 1, xDomain),
    ],
  };
}

function noCurveLayers() {
  return [
    {
      data: { values: [{}] },
      mark: { type: 'text' as const, color: TEXT_COLOUR, fontSize: 13, fontStyle: 'italic', y: 60, x: 200 },
      encoding: { text: { value: 'no judged cache sample yet (no curve)' } },
    },
  ];
}

/** The upper bound as a thick step line, the weighted estimate dotted, and a described dot per threshold. */
function curveLayers(colour: string, xDomain: number[], y: RateAxis) {
  const x = {
    field: 'threshold',
    type: 'quantitative' as const,
    title: 'similarity threshold',
    scale: { domain: xDomain },
    axis: { format: '.2f' },
  };
  return [
    {
      mark: { type: 'line' as const, color: colour, strokeWidth: 2.5, interpolate: 'step-after' as const },
      encoding: { x, y: { ...y, field: 'bound' } },
    },
    {
      mark: { type: 'line' as const, color: colour, strokeWidth: 1.2, strokeDash: [2, 2], opacity: 0.9 },
      encoding: { x, y: { ...y, field: 'weightedRate' } },
    },
    {
      mark: { type: 'point' as const, filled: true, size: 14, color: colour, opacity: 1 },
      encoding: { x, y: { ...y, field: 'bound' }, description: { field: 'description' } },
    },
  ];
}

/** The dashed target and its label at the right end. */
function targetLayers(target: number, y: RateAxis) {
  return [
    {
      data: { values: [{}] },
      mark: { type: 'rule' as const, color: ALERT_COLOUR, strokeDash: [6, 4], strokeWidth: 2 },
      encoding: {
        y: { ...y, datum: target },
        description: { value: `target ${percent(target, 2)}` },
      },
    },
    {
      data: { values: [{}] },
      mark: {
        type: 'text' as const,
        color: ALERT_COLOUR,
        align: 'right' as const,
        baseline: 'bottom' as const,
        x: CHART_WIDTH - 100,
        dy: -3,
        fontSize: 11,
      },
      encoding: {
        y: { datum: target, type: 'quantitative' as const },
        text: { value: `target ${percent(target, 2)}` },
      },
    },
  ];
}

/** A vertical rule at a threshold with its label; `row` stacks labels that would overlap. */
function verticalLayers(at: number, text: string, colourOf: string, dash: number[], row: number, xDomain: number[]) {
  return [
    {
      data: { values: [{}] },
      mark: { type: 'rule' as const, color: colourOf, strokeWidth: 2, strokeDash: dash },
      encoding: {
        x: { datum: at, type: 'quantitative' as const, scale: { domain: xDomain } },
        description: { value: text },
      },
    },
    {
      data: { values: [{}] },
      mark: {
        type: 'text' as const,
        color: colourOf,
        align: 'left' as const,
        dx: 4,
        y: 12 + 14 * row,
        fontSize: 11,
        fontWeight: 'bold' as const,
      },
      encoding: { x: { datum: at, type: 'quantitative' as const }, text: { value: text } },
    },
  ];
}

/** A few times the target (so the target line is not squashed at the bottom), at most 100%. */
export function cacheAxisTop(series: CacheSeries): number {
  return Math.min(1, Math.max(series.target * 5, 0.02));
}

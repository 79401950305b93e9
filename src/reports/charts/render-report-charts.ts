import type { TopLevelSpec } from 'vega-lite';
import { cacheChartSpec } from './cache-chart-spec.js';
import { percent } from './chart-style.js';
import { compressionChartSpec } from './compression-chart-spec.js';
import { renderChartSvg } from './render-chart-svg.js';
import type { ReportSeries } from './report-series.js';
import { trendChartSpec } from './trend-chart-spec.js';

/** One picture of a report: its file name, the report section it belongs to and its alt text. */
export interface ReportChart {
  /** File name inside the report's chart folder (e.g. `trend.svg`). */
  name: string;
  /** Title of the report section the picture goes in. */
  section: string;
  alt: string;
  spec: TopLevelSpec;
}

/** A rendered picture as the markdown references it: path relative to the report file. */
export interface ChartImage {
  section: string;
  file: string;
  alt: string;
}

/** The charts a report with these series has, with their specs and alt text (pure). */
export function planReportCharts(series: ReportSeries): ReportChart[] {
  const charts: ReportChart[] = [];
  const t = series.trend;
  if (t && t.classes.length > 0) {
    const moved = t.classes.flatMap((c) =>
      c.points.filter((p) => p.decision === 'escalate').map((p) => `${c.taskType} escalated on ${p.label}`),
    );
    const empty = t.classes.filter((c) => c.points.every((p) => p.rate === null)).map((c) => c.taskType);
    charts.push({
      name: 'trend.svg',
      section: 'Trend',
      spec: trendChartSpec(t),
      alt: `${[
        `Error rate per run over the last ${t.classes[0].points.length} run(s), one panel per class (${t.classes.map((c) => c.taskType).join(', ')}), with 95% interval bands, n per point and the ${percent(t.threshold, 2)} threshold as a dashed line`,
        ...moved,
        ...(empty.length ? [`no judged sample for ${empty.join(', ')} (no line drawn)`] : []),
      ].join('; ')}.`,
    });
  }
  series.compression.forEach((c, i) => {
    if (c.points.length === 0) return;
    const methods = [...new Set(c.points.map((p) => p.method))];
    charts.push({
      name: `compression${series.compression.length > 1 ? `-${i + 1}` : ''}.svg`,
      section: c.section,
      spec: compressionChartSpec(c),
      alt:
        `${c.metric} against target compression ratio on ${c.dataset}, one panel per method (${methods.join(', ')}), with 95% intervals` +
        (c.baseline === null
          ? '.'
          : `, the ${percent(c.baseline)} uncompressed baseline and the ${c.maxDropPoints}-point accepted drop.`),
    });
  });
  const k = series.cache;
  if (k && k.classes.length > 0) {
    charts.push({
      name: 'cache-false-hits.svg',
      section: 'Semantic cache',
      spec: cacheChartSpec(k),
      alt: `Cache false-hit upper bound by similarity threshold, one panel per class (${k.classes.map((c) => `${c.taskType}: ${c.certifiedThreshold === null ? 'not certified' : `certified at ${c.certifiedThreshold}`}, now ${c.currentThreshold}`).join('; ')}), with the ${percent(k.target, 2)} target as a dashed line.`,
    });
  }
  return charts;
}

/** Renders every planned chart to SVG text. */
export async function renderReportCharts(series: ReportSeries): Promise<(ReportChart & { svg: string })[]> {
  const out: (ReportChart & { svg: string })[] = [];
  for (const c of planReportCharts(series)) out.push({ ...c, svg: await renderChartSvg(c.spec) });
  return out;
}

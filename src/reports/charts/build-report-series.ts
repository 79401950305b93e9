import type { ReportSummary } from '../report-summary.js';
import type { CacheSeries, CompressionSeries, ReportSeries, TrendSeries } from './report-series.js';

/** How many runs the trend chart shows (the same window as the sparkline table). */
export const SERIES_TREND_RUNS = 14;

/**
 * The series of every chart from the report summary: the per-class trend over the last 14 runs
 * (a run without judged samples is a null point, never 0), each compression section's curve and
 * the cache false-hit curve per class. Pure; `--json` carries the same object.
 */
export function buildReportSeries(s: ReportSummary): ReportSeries {
  return { trend: buildTrendSeries(s), compression: compressionSeries(s), cache: buildCacheSeries(s) };
}

function buildTrendSeries(s: ReportSummary): TrendSeries | null {
  const runs = s.trend.slice(-SERIES_TREND_RUNS);
  const named = s.classes.map((c) => c.taskType);
  const others = [...new Set(runs.flatMap((r) => Object.keys(r.rates)))].filter((c) => !named.includes(c)).sort();
  const classes = [...named, ...others];
  if (runs.length === 0 || classes.length === 0) return null;
  return {
    threshold: s.maxErrorRate,
    scope: 'per-run',
    classes: classes.map((taskType) => ({
      taskType,
      points: runs.map((r) => {
        // one scale with the threshold: the corrected (true-scale) rate where the judge's fp/fn are known
        const rate = r.corrected?.[taskType] ?? r.rates[taskType] ?? null;
        const st = r.stats?.[taskType];
        const has = rate !== null && Number.isFinite(rate);
        return {
          runId: r.runId,
          label: r.label,
          rate: has ? rate : null,
          lower: has ? (st?.lower ?? null) : null,
          upper: has ? (st?.upper ?? null) : null,
          n: has ? (st?.n ?? 0) : 0,
          ...(has && r.nEff?.[taskType] !== undefined ? { effectiveN: r.nEff[taskType] } : {}),
          ...(st?.decision ? { decision: st.decision } : {}),
        };
      }),
    })),
  };
}

function compressionSeries(s: ReportSummary): CompressionSeries[] {
  return [s.compression, s.simulation, ...(s.extraSections ?? [])].flatMap((e) =>
    e?.series ? [{ ...e.series, section: e.title }] : [],
  );
}

function buildCacheSeries(s: ReportSummary): CacheSeries | null {
  const c = s.cache;
  if (!c || c.target === undefined || !c.perClass?.length) return null;
  return {
    target: c.target,
    classes: c.perClass.map((k) => ({
      taskType: k.taskType,
      currentThreshold: k.currentThreshold,
      certifiedThreshold: k.certifiedThreshold,
      status: k.status,
      points: k.curve ?? [],
    })),
  };
}

import { describe, expect, it } from 'vitest';
import { inspectChartSvg } from '../../../test/support/inspect-chart-svg.js';
import { renderReportCharts } from './render-report-charts.js';
import type { ReportSeries, TrendSeriesPoint } from './report-series.js';

const LABELS = ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'];
const HOSTILE = '<script>alert(1)</script>';

function points(rates: (number | null)[], n: number, escalatedAt?: number): TrendSeriesPoint[] {
  return rates.map((rate, i) => ({
    runId: `run-${i}`,
    label: LABELS[i],
    rate,
    n: rate === null ? 0 : n,
    lower: rate === null ? null : Math.max(0, rate - 0.04),
    upper: rate === null ? null : rate + 0.05,
    ...(i === escalatedAt ? { decision: 'escalate' } : rate === null ? {} : { decision: 'hold' }),
  }));
}

/** The demo's shape: an escalated class with a missing night, a class never judged, a steady one, a hostile name. */
const SERIES: ReportSeries = {
  trend: {
    threshold: 0.0303,
    scope: 'per-run',
    classes: [
      { taskType: 'math', points: points([0.368, 0.041, null, 0.07, 0.05], 94, 0) },
      { taskType: 'chat', points: points([null, null, null, null, null], 0) },
      { taskType: 'classify', points: points([0.129, 0.206, 0.165, 0.174, 0.183], 412) },
      { taskType: HOSTILE, points: points([0.01, 0.012, 0.011, 0.009, 0.01], 636) },
    ],
  },
  compression: [
    {
      section: 'Compression (XQuAD-en)',
      dataset: 'xquad-en',
      metric: 'retention',
      baseline: 0.999,
      maxDropPoints: 5,
      // tfidf and tfidf+dedup are identical: in one chart their lines would lie on top of each other
      points: ['tfidf', 'structural', 'tfidf+dedup'].flatMap((method) =>
        [0.3, 0.5, 0.7, 0.9].map((ratio) => {
          const value = method === 'structural' ? ratio - 0.01 : 0.6 + ratio * 0.42;
          return {
            method,
            ratio,
            value: Math.min(value, 0.99),
            lower: Math.min(value, 0.99) - 0.02,
            upper: Math.min(value + 0.02, 1),
            n: 1190,
          };
        }),
      ),
    },
  ],
  cache: {
    target: 0.01,
    classes: [
      {
        taskType: 'support',
        currentThreshold: 0.92,
        certifiedThreshold: 0.9,
        status: 'certified threshold 0.9',
        points: [0.85, 0.875, 0.9, 0.925, 0.95].map((threshold, i) => ({
          threshold,
          hits: 400 - i * 50,
          weightedRate: 0.02 - i * 0.005,
          upper: 0.04 - i * 0.008,
        })),
      },
      {
        taskType: 'billing',
        currentThreshold: 0.92,
        certifiedThreshold: null,
        status: 'not certified: no judged hit',
        points: [],
      },
    ],
  },
};

describe('renderReportCharts', async () => {
  const charts = await renderReportCharts(SERIES);
  const byName = new Map(charts.map((c) => [c.name, inspectChartSvg(c.svg)]));

  it('renders the trend, compression and cache charts as SVG no wider than 760 px', () => {
    expect(charts.map((c) => [c.name, c.section])).toEqual([
      ['trend.svg', 'Trend'],
      ['compression.svg', 'Compression (XQuAD-en)'],
      ['cache-false-hits.svg', 'Semantic cache'],
    ]);
    for (const c of charts) {
      expect(c.svg.startsWith('<svg')).toBe(true);
      expect(Number(/width="(\d+)"/.exec(c.svg)![1])).toBeLessThanOrEqual(760);
      expect(c.svg).toContain('fill="white"');
    }
  });

  it('trend: a panel title names every class; each class with data has its interval band, line and threshold', () => {
    const t = byName.get('trend.svg')!;
    expect(t.titles).toEqual(expect.arrayContaining(['math', 'chat: no data', 'classify', HOSTILE]));
    expect(t.labels.filter((l) => l === 'threshold 3.03%')).toHaveLength(4);
    for (const c of ['math', 'classify', HOSTILE]) {
      expect(t.pathOf(`${c}: 95% interval band`), c).toMatch(/^M.+Z$/);
      expect(t.pathOf(`${c}: error-rate line`), c).toMatch(/^M/);
    }
    expect(t.texts).toContain('escalated');
    expect(
      t.labels.some((l) =>
        l.startsWith('math, run 2026-11-26: error rate 36.8% (95% interval 32.8% to 41.8%), n = 94, escalate'),
      ),
    ).toBe(true);
  });

  it('trend: a class without data has no line, band or point, and a missing run is a gap, not 0', () => {
    const t = byName.get('trend.svg')!;
    expect(t.pathOf('chat: error-rate line')).toBeUndefined();
    expect(t.pathOf('chat: 95% interval band')).toBeUndefined();
    expect(t.labels.filter((l) => l.startsWith('chat, run'))).toEqual([]);
    expect(t.texts).toContain('no judged sample in these runs (no line)');
    // math was not judged on 2026-11-28: no point there, and its line is two pieces
    expect(t.labels.filter((l) => l.startsWith('math, run'))).toHaveLength(4);
    expect(t.labels.some((l) => l.startsWith('math, run 2026-11-28'))).toBe(false);
    expect(t.pathOf('math: error-rate line')!.match(/M/g)).toHaveLength(2);
    expect(t.pathOf('math: 95% interval band')!.match(/M/g)).toHaveLength(2);
  });

  it('compression: one panel per method (identical methods cannot hide each other), intervals, baseline and accepted drop', () => {
    const c = byName.get('compression.svg')!;
    expect(c.titles).toEqual(expect.arrayContaining(['tfidf', 'structural', 'tfidf+dedup']));
    for (const m of ['tfidf', 'structural', 'tfidf+dedup']) {
      expect(c.labels.filter((l) => l.startsWith(`${m} at ratio`))).toHaveLength(4);
      expect(c.labels.filter((l) => l === `${m}: 95% interval`).length).toBeGreaterThan(0);
    }
    expect(c.labels.filter((l) => l === 'baseline 99.9%')).toHaveLength(3);
    expect(c.labels.filter((l) => l === 'accepted drop 5 points')).toHaveLength(3);
  });

  it('cache: the upper bound per threshold per class, the target line, the certified and current thresholds', () => {
    const k = byName.get('cache-false-hits.svg')!;
    expect(k.titles).toEqual(expect.arrayContaining(['support: certified at 0.9', 'billing: not certified']));
    expect(k.labels.filter((l) => l.startsWith('support at threshold'))).toHaveLength(5);
    expect(k.labels.filter((l) => l.startsWith('billing at threshold'))).toEqual([]);
    expect(k.labels.filter((l) => l === 'target 1.00%')).toHaveLength(2);
    expect(k.texts).toEqual(expect.arrayContaining(['certified 0.9', 'now 0.92', 'target 1.00%']));
    expect(k.texts.filter((t) => t === 'certified 0.9')).toHaveLength(1);
  });

  it('escapes class names: no live markup in the SVG', () => {
    for (const c of charts) expect(c.svg).not.toContain('<script');
  });
});

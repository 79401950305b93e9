import { describe, expect, it } from 'vitest';
import { runCompressionReport } from './run-compression-report.js';

describe('runCompressionReport', () => {
  it('evaluates, tunes and renders a section from the bundled data in one call', async () => {
    const r = await runCompressionReport({ limit: 50, ratios: [0.5, 0.9], maxDropPoints: 50 });
    expect(r.evaluation.rows).toHaveLength(7); // 3 targeting methods x 2 ratios + dedup
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({ group: 'xquad-en', kind: 'compress', ratio: 0.5 });
    expect(r.markdown).toContain('### Compression: xquad-en');
    expect(r.markdown).not.toContain('xychart-beta');
    // the chart's series: every ratio-targeting row with its interval, the baseline and the accepted drop
    expect(r.series).toMatchObject({ dataset: 'xquad-en', metric: 'retention', maxDropPoints: 50 });
    expect(r.series.points).toHaveLength(6);
    expect(r.series.baseline).toBe(r.evaluation.rows[0].baseline);
    for (const p of r.series.points) expect(p.lower).toBeLessThanOrEqual(p.value);
  });
});

import { describe, expect, it } from 'vitest';
import { runCompressionReport } from './run-compression-report.js';

describe('runCompressionReport', () => {
  it('evaluates, tunes and renders a section from the bundled data in one call', async () => {
    const r = await runCompressionReport({ limit: 50, ratios: [0.5, 0.9], maxDropPoints: 50 });
    expect(r.evaluation.rows).toHaveLength(7); // 3 targeting methods x 2 ratios + dedup
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({ group: 'xquad-en', kind: 'compress', ratio: 0.5 });
    expect(r.markdown).toContain('### Compression: xquad-en');
    expect(r.markdown).toContain('xychart-beta');
  });
});

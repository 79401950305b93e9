import { describe, expect, it } from 'vitest';
import { analyseFalseHits } from './false-hit-curve.js';
import { renderFalseHitTable, renderRecommendation } from './render-false-hit-table.js';

const judged = [
  ...Array.from({ length: 400 }, (_, i) => ({ similarity: 0.96 + (0.04 * i) / 400, falseHit: false })),
  ...Array.from({ length: 100 }, (_, i) => ({ similarity: 0.9 + (0.05 * i) / 100, falseHit: i % 4 === 0 })),
];

describe('renderFalseHitTable', () => {
  it('lists thresholds on the step, highest first, marks the certified one and draws the bound against the target', () => {
    const a = analyseFalseHits(judged, { target: 0.01, grid: [0.9, 0.95, 0.96, 0.97] });
    expect(renderFalseHitTable(a, { step: 0.01, barWidth: 4 }).split('\n')).toEqual([
      '| threshold | judged >= t | false hits | rate | 95% upper | upper vs target 1.00% | |',
      '| ---: | ---: | ---: | ---: | ---: | :--- | :--- |',
      '| 0.970 | 300 | 0 | 0.00% | 0.99% | `████|` |  |',
      '| 0.960 | 400 | 0 | 0.00% | 0.75% | `███ |` |  |',
      '| 0.950 | 400 | 0 | 0.00% | 0.75% | `███ |` | **certified** |',
      '| 0.900 | 500 | 25 | 5.00% | 6.91% | `████|████` |  |',
    ]);
  });
});

describe('renderRecommendation', () => {
  it('states the certified threshold with its counts, bound and hit share', () => {
    const a = analyseFalseHits(judged, { target: 0.01, grid: [0.9, 0.95, 0.96, 0.97] });
    expect(renderRecommendation(a)).toBe('certified threshold 0.95: false-hit rate < 1.00% at 95% (0 false of 400 judged, upper bound 0.75%); serves 80.0% of lookups');
  });
});

import { describe, expect, it } from 'vitest';
import { analyseFalseHits } from './false-hit-curve.js';
import { renderFalseHitTable, renderRecommendation } from './render-false-hit-table.js';
import { seededRandom } from '../stats/seeded-random.js';

// 1,200 clean lookups in [0.96, 1) drawn at 50%, 300 in [0.9, 0.95) at 10% with every fourth false, interleaved
const rand = seededRandom(5);
const judged = [
  ...Array.from({ length: 1200 }, (_, i) => ({
    similarity: 0.96 + (0.04 * i) / 1200,
    falseHit: false,
    inclusionProb: 0.5,
  })),
  ...Array.from({ length: 300 }, (_, i) => ({
    similarity: 0.9 + (0.05 * i) / 300,
    falseHit: i % 4 === 0,
    inclusionProb: 0.1,
  })),
]
  .map((j) => ({ j, k: rand() }))
  .sort((a, b) => a.k - b.k)
  .map((x) => x.j);

describe('renderFalseHitTable', () => {
  it('lists thresholds with data from the lowest judged similarity up, marks the start and the certified one', () => {
    const a = analyseFalseHits(judged, { target: 0.01, grid: [0.85, 0.9, 0.95, 0.96, 0.97] });
    expect(renderFalseHitTable(a, { step: 0.01, barWidth: 4 }).split('\n')).toEqual([
      '| threshold | judged >= t | false hits | weighted rate | effective n | anytime 95% upper | upper vs target 1.00% | |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | :--- | :--- |',
      '| 0.970 | 900 | 0 | 0.00% | 900 | 0.71% | `███ |` | start |',
      '| 0.960 | 1200 | 0 | 0.00% | 1200 | 0.53% | `██  |` |  |',
      '| 0.950 | 1200 | 0 | 0.00% | 1200 | 0.53% | `██  |` | **certified** |',
      // weighted: 750 of 5,400 (near-misses count 5x); Kish n = 5,400^2 / 34,800
      '| 0.900 | 1500 | 75 | 13.9% | 838 | 19.1% | `████|████` |  |',
    ]);
  });
});

describe('renderRecommendation', () => {
  it('states the certified threshold with its counts, the anytime bound and the hit share', () => {
    const a = analyseFalseHits(judged, { target: 0.01, grid: [0.85, 0.9, 0.95, 0.96, 0.97] });
    expect(renderRecommendation(a)).toBe(
      'certified threshold 0.95: false-hit rate < 1.00% (anytime 95%, inclusion-weighted; 0 false of 1200 judged, weighted rate 0.00%, upper bound 0.53%); serves 80.0% of lookups',
    );
  });
});

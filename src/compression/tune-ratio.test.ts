import { describe, expect, it } from 'vitest';
import { EXTRACTION_FLOOR, tuneRatio, type CurvePoint } from './tune-ratio.js';

const n = 1000;
const ones = Array.from({ length: n }, () => 1);
/** Compressed scores with `lost` of the n items lost relative to an all-correct baseline. */
const point = (method: string, ratio: number, lost: number): CurvePoint => ({
  method,
  ratio,
  scores: Array.from({ length: n }, (_, i) => (i < lost ? 0 : 1)),
});

describe('tuneRatio', () => {
  it('picks the most aggressive ratio whose drop upper bound is within the limit', () => {
    // lost 2/1000 -> upper ~0.7 pts; lost 8 -> ~1.6 pts; lost 30 -> ~4.3 pts; lost 150 -> way over.
    const d = tuneRatio({
      group: 'qa',
      baseline: ones,
      maxDropPoints: 2,
      points: [point('tfidf', 0.3, 150), point('tfidf', 0.5, 30), point('tfidf', 0.7, 8), point('tfidf', 0.9, 2)],
    });
    expect(d).toMatchObject({ kind: 'compress', ratio: 0.7, method: 'tfidf', n });
    if (d.kind === 'compress') expect(d.drop.upper).toBeLessThanOrEqual(0.02);
  });

  it('uses the upper bound, not the point estimate: 1.5 points observed on few items does not qualify', () => {
    const few = Array.from({ length: 200 }, () => 1);
    const scores = Array.from({ length: 200 }, (_, i) => (i < 3 ? 0 : 1));
    const d = tuneRatio({
      group: 'qa',
      baseline: few,
      maxDropPoints: 2,
      points: [{ method: 'tfidf', ratio: 0.5, scores }],
    });
    expect(d).toMatchObject({ kind: 'none', ratio: 1 });
  });

  it('prefers the method with the smaller drop at the same ratio, across methods', () => {
    const d = tuneRatio({
      group: 'qa',
      baseline: ones,
      maxDropPoints: 5,
      points: [point('structural', 0.5, 20), point('tfidf', 0.5, 5), point('tfidf', 0.7, 0)],
    });
    expect(d).toMatchObject({ kind: 'compress', ratio: 0.5, method: 'tfidf' });
  });

  it('never goes below 0.7 for an extraction class even when lower ratios qualify', () => {
    const points = [point('tfidf', 0.3, 0), point('tfidf', 0.5, 0), point('tfidf', 0.7, 0), point('tfidf', 0.9, 0)];
    expect(
      tuneRatio({ group: 'extract_invoice', baseline: ones, maxDropPoints: 2, points, extraction: true }),
    ).toMatchObject({ kind: 'compress', ratio: EXTRACTION_FLOOR });
    expect(tuneRatio({ group: 'qa', baseline: ones, maxDropPoints: 2, points })).toMatchObject({
      kind: 'compress',
      ratio: 0.3,
    });
  });

  it('returns ratio 1 (no compression) with a reason when no ratio qualifies', () => {
    const d = tuneRatio({
      group: 'qa',
      baseline: ones,
      maxDropPoints: 2,
      points: [point('tfidf', 0.5, 100), point('tfidf', 0.9, 40)],
    });
    expect(d).toEqual({
      group: 'qa',
      kind: 'none',
      ratio: 1,
      n,
      reason: "no ratio keeps the drop's 95% upper bound within 2 points (n=1000)",
    });
  });

  it('says the extraction floor was in force when an extraction class gets none', () => {
    const d = tuneRatio({
      group: 'extract',
      baseline: ones,
      maxDropPoints: 2,
      extraction: true,
      points: [point('tfidf', 0.5, 0), point('tfidf', 0.7, 100)],
    });
    expect(d.kind).toBe('none');
    if (d.kind === 'none') expect(d.reason).toMatch(/extraction floor 0\.7/);
  });

  it('measures the drop against the baseline, so items wrong uncompressed do not count as losses', () => {
    const baseline = Array.from({ length: n }, (_, i) => (i < 100 ? 0 : 1));
    const scores = [...baseline];
    const d = tuneRatio({ group: 'qa', baseline, maxDropPoints: 1, points: [{ method: 'tfidf', ratio: 0.3, scores }] });
    expect(d).toMatchObject({ kind: 'compress', ratio: 0.3 });
  });
});

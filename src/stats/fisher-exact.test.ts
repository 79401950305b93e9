import { describe, expect, it } from 'vitest';
import { fisherExactTwoSided } from './fisher-exact.js';

describe('fisherExactTwoSided', () => {
  it('matches published values', () => {
    // Fisher's tea-tasting table: p = 0.4857 (R: fisher.test(matrix(c(3,1,1,3),2)))
    expect(fisherExactTwoSided(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    // the textbook dieting example (Wikipedia, "Fisher's exact test"): p = 0.002759
    expect(fisherExactTwoSided(1, 9, 11, 3)).toBeCloseTo(0.002759, 5);
    // unbalanced rows, as a large baseline against a small check: scipy.stats.fisher_exact gives 0.036462
    expect(fisherExactTwoSided(5, 837, 2, 38)).toBeCloseTo(0.036462, 5);
  });

  it('is 1 for identical proportions and symmetric in the groups', () => {
    expect(fisherExactTwoSided(2, 8, 2, 8)).toBeCloseTo(1, 10);
    expect(fisherExactTwoSided(1, 9, 11, 3)).toBeCloseTo(fisherExactTwoSided(11, 3, 1, 9), 12);
    expect(fisherExactTwoSided(0, 0, 0, 0)).toBe(1);
  });
});

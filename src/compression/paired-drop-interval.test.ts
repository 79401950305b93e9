import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../stats/binomial-interval.js';
import { pairedDropInterval } from './paired-drop-interval.js';

const ones = (n: number) => Array.from({ length: n }, () => 1);
const binary = (n: number, ones: number) => Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0));

describe('pairedDropInterval', () => {
  it('against an all-correct baseline, the upper bound is 1 - the Wilson lower bound of the compressed rate', () => {
    const d = pairedDropInterval(ones(200), binary(200, 190));
    expect(d.drop).toBeCloseTo(0.05, 12);
    expect(d.upper).toBeCloseTo(wilsonInterval(10, 200).upper, 12);
    expect(d.method).toBe('newcombe-paired');
  });

  it('is a point at zero width only in the limit: identical paired scores give an interval around 0', () => {
    const base = binary(100, 80);
    const d = pairedDropInterval(base, [...base]);
    expect(d.drop).toBe(0);
    expect(d.lower).toBeLessThan(0);
    expect(d.upper).toBeGreaterThan(0);
    expect(d.upper).toBeLessThan(0.05);
  });

  it('is narrower for positively correlated pairs than for independent ones (the pairing counts)', () => {
    const base = binary(100, 80);
    const correlated = binary(100, 70); // every compressed success is also a baseline success
    const shuffled = Array.from({ length: 100 }, (_, i) => (i >= 30 ? 1 : 0)); // same rate, misaligned
    const a = pairedDropInterval(base, correlated);
    const b = pairedDropInterval(base, shuffled);
    expect(a.drop).toBeCloseTo(b.drop, 12);
    expect(a.upper - a.lower).toBeLessThan(b.upper - b.lower);
  });

  it('uses a paired normal interval for fractional scores', () => {
    const base = ones(50);
    const comp = Array.from({ length: 50 }, (_, i) => (i % 2 ? 0.9 : 0.7));
    const d = pairedDropInterval(base, comp);
    expect(d.method).toBe('paired-normal');
    expect(d.drop).toBeCloseTo(0.2, 12);
    expect(d.lower).toBeLessThan(0.2);
    expect(d.upper).toBeGreaterThan(0.2);
  });

  it('covers the true drop at least 95% of the time on simulated paired data (seeded)', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    // cells: both right, only baseline right, only compressed right (rest: both wrong)
    for (const [both, onlyBase, onlyComp] of [
      [0.85, 0.05, 0],
      [0.8, 0.08, 0.02],
      [0.6, 0.1, 0.05],
    ]) {
      let covered = 0;
      for (let r = 0; r < 400; r++) {
        const base: number[] = [];
        const comp: number[] = [];
        for (let i = 0; i < 200; i++) {
          const u = rnd();
          base.push(u < both + onlyBase ? 1 : 0);
          comp.push(u < both || (u >= both + onlyBase && u < both + onlyBase + onlyComp) ? 1 : 0);
        }
        const d = pairedDropInterval(base, comp);
        if (d.lower <= onlyBase - onlyComp && onlyBase - onlyComp <= d.upper) covered++;
      }
      expect(covered / 400).toBeGreaterThanOrEqual(0.94);
    }
  });

  it('rejects unpaired inputs', () => {
    expect(() => pairedDropInterval([1, 1], [1])).toThrow(/equal lengths/);
  });
});

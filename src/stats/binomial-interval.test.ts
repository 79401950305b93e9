import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  clopperPearsonInterval,
  clopperPearsonUpper,
  normalQuantile,
  wilsonInterval,
  wilsonUpper,
} from './binomial-interval.js';

describe('normalQuantile', () => {
  it('matches known quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe('wilsonInterval', () => {
  it('matches the closed form for 23/64', () => {
    const r = wilsonInterval(23, 64);
    // reference values from the textbook formula with z = 1.959964
    expect(r.rate).toBeCloseTo(0.359375, 6);
    expect(r.lower).toBeCloseTo(0.2526, 3);
    expect(r.upper).toBeCloseTo(0.4819, 3);
  });
  it('is [0, 1] with a null rate when nothing was judged', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ rate: null, lower: 0, upper: 1 });
  });
  it('gives the one-sided 99% bound of the de-escalation rule', () => {
    // 1 failure in 400 shadow verdicts: well under 3%
    expect(wilsonUpper(1, 400, 0.99)).toBeLessThan(0.03);
    expect(wilsonUpper(6, 100, 0.99)).toBeGreaterThan(0.03);
  });
  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/0 <= failures <= n/);
  });
});

describe('clopperPearsonInterval', () => {
  it('matches scipy beta quantiles', () => {
    const r = clopperPearsonInterval(23, 64);
    expect(r.lower).toBeCloseTo(0.24319, 5);
    expect(r.upper).toBeCloseTo(0.489037, 5);
  });
  it('certifies < 1% with 0 false of 299 but not of 298', () => {
    expect(clopperPearsonUpper(0, 299)).toBeCloseTo(0.0099691, 6);
    expect(clopperPearsonUpper(0, 298)).toBeGreaterThan(0.01);
    expect(clopperPearsonUpper(1, 473)).toBeLessThan(0.01);
    expect(clopperPearsonUpper(1, 472)).toBeGreaterThan(0.01);
  });
});

describe('binomialCdf', () => {
  it('sums the binomial mass', () => {
    // P(X <= 1) for Bin(10, 0.1) = 0.9^10 + 10 * 0.1 * 0.9^9
    expect(binomialCdf(1, 10, 0.1)).toBeCloseTo(0.9 ** 10 + 0.9 ** 9, 10);
  });
});

import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('nightly', 'nightly')).toBe(0);
    expect(editDistance('nigthly', 'nightly')).toBe(1);
    expect(editDistance('ingst', 'ingest')).toBe(1);
    expect(editDistance('judje', 'judge')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('didYouMean', () => {
  const commands = ['init', 'ingest', 'judge', 'judge-calibrate', 'nightly', 'report', 'review'];

  it('suggests the closest candidate within a third of the input length', () => {
    expect(didYouMean('nigthly', commands)).toBe('nightly');
    expect(didYouMean('reprot', commands)).toBe('report');
    expect(didYouMean('jduge', commands)).toBe('judge');
  });

  it('suggests the only candidate the input is a prefix of', () => {
    expect(didYouMean('judge-cal', commands)).toBe('judge-calibrate');
    expect(didYouMean('nig', commands)).toBe('nightly');
  });

  it('suggests nothing when nothing is close or the prefix is ambiguous', () => {
    expect(didYouMean('frobnicate', commands)).toBeUndefined();
    expect(didYouMean('re', commands)).toBeUndefined();
    expect(didYouMean('rep', ['report', 'repeat'])).toBeUndefined();
  });
});

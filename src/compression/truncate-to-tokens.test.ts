import { describe, expect, it } from 'vitest';
import { countTokens } from '../routing/count-tokens.js';
import { nearestCut, truncateToTokens } from './truncate-to-tokens.js';

const text =
  'The Panthers defense gave up just 308 points, ranking sixth in the league, while also leading the NFL in interceptions with 24.';

describe('truncateToTokens', () => {
  it('returns the longest word-boundary prefix within the limit', () => {
    for (const max of [1, 5, 10, 20]) {
      const cut = truncateToTokens(text, max);
      expect(countTokens(cut)).toBeLessThanOrEqual(max);
      expect(text.startsWith(cut)).toBe(true);
      const next = text.slice(
        0,
        text.indexOf(' ', cut.length + 1) === -1 ? text.length : text.indexOf(' ', cut.length + 1),
      );
      expect(countTokens(next)).toBeGreaterThan(max);
    }
  });

  it('cuts from the end when asked', () => {
    const cut = truncateToTokens(text, 6, true);
    expect(text.endsWith(cut)).toBe(true);
    expect(countTokens(cut)).toBeLessThanOrEqual(6);
    expect(cut.length).toBeGreaterThan(0);
  });

  it('returns the whole text when it fits and nothing for a zero budget', () => {
    expect(truncateToTokens(text, 1000)).toBe(text);
    expect(truncateToTokens(text, 0)).toBe('');
  });

  it('cuts inside a very long run without spaces', () => {
    const long = `see ${'x'.repeat(200)}`;
    expect(countTokens(truncateToTokens(long, 10))).toBeLessThanOrEqual(10);
    expect(truncateToTokens(long, 10).length).toBeGreaterThan(4);
  });
});

describe('nearestCut', () => {
  it('may go one word over when that lands closer to the target', () => {
    const cut = nearestCut(text, 7);
    expect(Math.abs(countTokens(cut) - 7)).toBeLessThanOrEqual(Math.abs(countTokens(truncateToTokens(text, 7)) - 7));
  });
});

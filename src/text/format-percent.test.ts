import { describe, expect, it } from 'vitest';
import { formatPercent } from './format-percent.js';

describe('formatPercent', () => {
  it('formats a fraction with the digits asked for, as the former local formatters did', () => {
    expect(formatPercent(0.12345)).toBe('12.3%');
    expect(formatPercent(0.12345, 2)).toBe('12.35%');
    expect(formatPercent(0.95, 0)).toBe('95%');
    expect(formatPercent(1 - 0.05, 0)).toBe(`${Math.round((1 - 0.05) * 100)}%`);
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('shows `missing` (an em dash by default) for null, undefined and non-finite values', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(undefined, 2)).toBe('—');
    expect(formatPercent(Number.NaN, 1, 'n/a')).toBe('n/a');
    expect(formatPercent(Number.POSITIVE_INFINITY, 1, '  n/a')).toBe('  n/a');
  });
});

import { describe, expect, it } from 'vitest';
import { splitUnits } from './split-units.js';

describe('splitUnits', () => {
  it('splits sentences but not at abbreviations or initials', () => {
    const units = splitUnits('Dr. Smith met J. Doe at 5 p.m. yesterday. They talked, e.g. about tax. Then they left!');
    expect(units.map((u) => u.text)).toEqual([
      'Dr. Smith met J. Doe at 5 p.m. yesterday.',
      'They talked, e.g. about tax.',
      'Then they left!',
    ]);
  });

  it('keeps lines apart with a newline separator and marks headers', () => {
    const units = splitUnits('# Billing\nRefunds take 5 days. Ask support.\n\nNOTES\nNone.');
    expect(units.map((u) => [u.sep, u.text, u.header])).toEqual([
      ['', '# Billing', true],
      ['\n', 'Refunds take 5 days.', false],
      [' ', 'Ask support.', false],
      ['\n', 'NOTES', true],
      ['\n', 'None.', false],
    ]);
  });

  it('does not split before a lower-case continuation', () => {
    expect(splitUnits('The ratio was 3.5 vs. 2.1 overall. ok then.').map((u) => u.text)).toEqual([
      'The ratio was 3.5 vs. 2.1 overall. ok then.',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { csvField, parseCsv } from '../../text/parse-csv.js';
import { loadGsm8kGold, loadLlmbarGold } from './gold-sets.js';

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes and multi-line fields with their start line', () => {
    const rows = parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n3,\n');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
      { line: 4, fields: ['3', ''] },
    ]);
    expect(parseCsv(`h\n${csvField('a "b", c\nd')}\n`)[1].fields[0]).toBe('a "b", c\nd');
    expect(() => parseCsv('a\n"open')).toThrow(/line 2/);
  });

  it('loads the bundled gold sets with the counts their SOURCE.md states', () => {
    const g = loadGsm8kGold();
    expect(g).toHaveLength(1319);
    expect(g.filter((x) => x.label === 'correct')).toHaveLength(842);
    expect(loadLlmbarGold()).toHaveLength(600);
  });
});

import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'a', 'b')).toBe('');
  });

  it('renders separate hunks with 3 lines of context, deletions before insertions (as diff -u)', () => {
    const a = lines(30);
    const b = [...a];
    b[3] = 'line three';
    b.splice(20, 1);
    const text = (l: string[]) => `${l.join('\n')}\n`;
    expect(unifiedDiff(text(a), text(b), 'a/f', 'b/f')).toBe(
      [
        '--- a/f',
        '+++ b/f',
        '@@ -1,7 +1,7 @@',
        ' line 0',
        ' line 1',
        ' line 2',
        '-line 3',
        '+line three',
        ' line 4',
        ' line 5',
        ' line 6',
        '@@ -18,7 +18,6 @@',
        ' line 17',
        ' line 18',
        ' line 19',
        '-line 20',
        ' line 21',
        ' line 22',
        ' line 23',
        '',
      ].join('\n'),
    );
  });

  it('merges changes closer than 2 x context into one hunk', () => {
    const a = lines(12);
    const b = a.map((l, i) => (i === 2 || i === 8 ? `${l}!` : l));
    const d = unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`, 'a', 'b');
    expect(d.match(/^@@/gm)).toHaveLength(1);
    expect(d).toContain('@@ -1,12 +1,12 @@');
  });
});

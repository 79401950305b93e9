import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportPath, writeReport } from './write-report.js';

describe('writeReport', () => {
  it('writes reports/<date>-<kind>.md atomically, replacing an older one and leaving no temp file', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'dw-report-')), 'reports');
    const file = reportPath({ dir, date: '2026-11-26', kind: 'nightly' });
    expect(file).toBe(path.join(dir, '2026-11-26-nightly.md'));
    writeReport(file, '# old\n');
    writeReport(file, '# new\n');
    expect(readFileSync(file, 'utf8')).toBe('# new\n');
    expect(readdirSync(dir)).toEqual(['2026-11-26-nightly.md']);
  });

  it('uses --out as given and rejects a malformed date or kind', () => {
    expect(reportPath({ dir: 'reports', date: '2026-11-26', kind: 'nightly', out: '/tmp/x.md' })).toBe('/tmp/x.md');
    expect(() => reportPath({ dir: 'reports', date: '26/11/2026', kind: 'nightly' })).toThrow(/YYYY-MM-DD/);
    expect(() => reportPath({ dir: 'reports', date: '2026-11-26', kind: '../x' })).toThrow(/report kind/);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/driftwatch.js');

describe('driftwatch demo (what npm start runs)', () => {
  it('replays the recorded nights and reaches every decision the data supports', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-demo-'));
    const r = spawnSync(process.execPath, [BIN, 'demo', '--json'], { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.nights).toHaveLength(5);
    expect(out.judge).toMatchObject({ provider: 'offline', calls: 0 });
    const report = readFileSync(path.join(cwd, out.report), 'utf8');

    // an escalation on evidence, applied to the demo's routing table with its comments
    expect(report).toMatch(/Night 1 \(\d{4}-\d\d-\d\d\): \*\*math\*\* on mixtral-8x7b failed \d+ of \d+ judged samples \(\d+\.\d%, 95% interval/);
    const table = readFileSync(path.join(cwd, '.driftwatch', 'demo', 'routing.yaml'), 'utf8');
    expect(table).toMatch(/^version: 2$/m);
    expect(table).toMatch(/math: \{ tier: premium, escalatedFrom: cheap,.*# GSM8K word problems/);
    // a class with too few judged samples, and a pinned one that holds
    expect(out.classes.find((c: { taskType: string }) => c.taskType === 'chat')).toMatchObject({ decision: 'insufficient' });
    expect(out.classes.find((c: { taskType: string }) => c.taskType === 'classify')).toMatchObject({ decision: 'hold' });
    // trend chart, cache audit, compression choice
    expect(report).toContain('```mermaid\nxychart-beta');
    expect(report).toMatch(/## Semantic cache/);
    expect(report).toMatch(/(Certified|Not certified)/);
    expect(report).toMatch(/## Compression \(XQuAD-en\)/);
    expect(report).toMatch(/tfidf/);
    expect(existsSync(path.join(cwd, '.driftwatch', 'demo', 'db'))).toBe(true);
  });
});

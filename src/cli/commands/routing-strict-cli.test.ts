import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type MainIo } from '../main.js';

const TABLE = readFileSync(new URL('../../../examples/routing.yaml', import.meta.url), 'utf8');
const EVENTS = readFileSync(new URL('../../../examples/events.jsonl', import.meta.url), 'utf8');

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: MainIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, cwd, isTty: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

function folder(table: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-strict-'));
  writeFileSync(path.join(dir, 'routing.yaml'), table);
  return dir;
}

describe('a bad routing.yaml on the command line', () => {
  it.each([
    [
      'pined (a typo of pinned)',
      TABLE.replace('pinned: true', 'pined: true'),
      /routing\.yaml:9: taskClasses\.compliance_check\.pined: unknown key "pined"/,
    ],
    [
      'tiers: {}',
      TABLE.replace(/tiers:[^\n]*\n( {2}\w+: [^\n]+\n)+/, 'tiers: {}\n'),
      /routing\.yaml:4: tiers: at least one tier is required/,
    ],
    [
      'an unknown tier',
      TABLE.replace('math: { tier: cheap }', 'math: { tier: medium }'),
      /routing\.yaml:8: taskClasses\.math\.tier: unknown tier "medium"/,
    ],
    [
      'tier: toString',
      TABLE.replace('math: { tier: cheap }', 'math: { tier: toString }'),
      /routing\.yaml:8: taskClasses\.math\.tier: unknown tier "toString"/,
    ],
  ])(
    '%s: nightly --apply and escalate --apply exit 2 naming file, line and key; the file is byte-identical',
    async (_name, text, message) => {
      const dir = folder(text);
      const file = path.join(dir, 'routing.yaml');
      const before = readFileSync(file);
      for (const argv of [
        ['nightly', '--apply', '--db', 'memory:'],
        ['escalate', '--apply', '--db', 'memory:'],
      ]) {
        const r = await cli(dir, ...argv);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toContain(file);
        expect(readFileSync(file).equals(before)).toBe(true);
      }
    },
    300_000,
  );
});

describe('a task class routing.yaml does not list', () => {
  it('is reported at ingest and by nightly, and never appended to the table', async () => {
    const dir = folder(TABLE);
    // 300 recorded GSM8K answers, the first 150 logged under a typo of the listed class.
    const lines = EVENTS.trim().split('\n').slice(0, 300);
    const typoed = lines.map((l, i) => (i < 150 ? l.replace('"taskType":"math"', '"taskType":"maths"') : l)).join('\n');
    const events = path.join(dir, 'events.jsonl');
    writeFileSync(events, `${typoed}\n`);
    const ingest = await cli(dir, 'ingest', events, '--json', '--db', 'db');
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stderr).toContain(
      `warning: ${events}:1: task class "maths" (150 event(s)) is not listed in routing.yaml`,
    );
    expect(JSON.parse(ingest.stdout).unlistedClasses).toEqual([
      { taskType: 'maths', events: 150, file: events, line: 1 },
    ]);

    const nightly = await cli(dir, 'nightly', '--apply', '--rate', '1', '--json', '--db', 'db');
    expect(nightly.code, nightly.stderr).toBe(0);
    const json = JSON.parse(nightly.stdout);
    expect(json.unlistedClasses).toEqual(['maths']);
    const maths = json.classes.find((c: { taskType: string }) => c.taskType === 'maths');
    expect(maths).toMatchObject({ decision: 'hold', applied: false });
    expect(maths.reason).toMatch(/not listed in the routing table/);
    expect(json.classes.find((c: { taskType: string }) => c.taskType === 'math')).toMatchObject({
      decision: 'escalate',
      applied: true,
    });
    const after = readFileSync(path.join(dir, 'routing.yaml'), 'utf8');
    expect(after).toMatch(/math: \{ tier: premium/);
    expect(after).not.toContain('maths');
    expect(readFileSync(path.join(dir, json.report), 'utf8')).toMatch(
      /\*\*Not listed in `routing\.yaml`\*\*[^\n]*\n\n```text\nmaths\n```/,
    );

    const text = await cli(dir, 'nightly', '--db', 'db');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'warning: not listed in routing.yaml (measured, never moved or added; add them under taskClasses): "maths"',
    );
  }, 300_000); // three CLI runs on the embedded database: a generous ceiling for a loaded machine
});

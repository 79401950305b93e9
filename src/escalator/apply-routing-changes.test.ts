import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { RoutingTableError } from '../errors.js';
import { loadRoutingTable } from '../routing/routing-table.js';
import { applyRoutingChanges } from './apply-routing-changes.js';
import type { RoutingChange } from './edit-routing-text.js';

const TABLE = `# Comments anywhere are kept when driftwatch rewrites this file.
version: 1   # bumped on every write

# tiers, cheapest first
tiers:                      # escalation moves one step up
  trivial: gpt-4o-mini      # the cheap one
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022   # premium
  critical: claude-3-5-sonnet-20241022
taskClasses:
  # classification of support tickets
  classify: { tier: trivial }   # hot path
  summarize:
    tier: standard    # block style entry
    # an inner comment
  compliance_check: { tier: critical, pinned: true }   # never moved automatically
# trailing comment
`;
const NOW = new Date('2026-11-26T03:00:00Z');
const ESCALATE: RoutingChange = {
  taskType: 'classify',
  kind: 'escalate',
  fromTier: 'trivial',
  to: 'standard',
  reason: 'error rate above 3.03%: S=204 >= H=170',
};

function tableFile(text = TABLE): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-routing-'));
  const file = path.join(dir, 'routing.yaml');
  writeFileSync(file, text);
  return file;
}

const comments = (t: string) => t.split('\n').flatMap((l) => (l.includes('#') ? [l.slice(l.indexOf('#'))] : []));
const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

describe('applyRoutingChanges', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => db?.close());

  it('without apply returns the diff and leaves the file byte-identical', async () => {
    const file = tableFile();
    const before = readFileSync(file);
    const r = await applyRoutingChanges({ file, changes: [ESCALATE], apply: false, now: NOW });
    expect(r).toMatchObject({ written: false, oldVersion: 1, newVersion: 2 });
    expect(r.diff).toContain('-  classify: { tier: trivial }   # hot path');
    expect(r.diff).toMatch(
      /\+ {2}classify: \{ tier: standard, escalatedFrom: trivial, escalatedAt: "2026-11-26T03:00:00.000Z", reason: "error rate above 3.03%: S=204 >= H=170" \} {3}# hot path/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('with apply changes only that class and the version, keeps every comment and writes the audit trail', async () => {
    const file = tableFile();
    const r = await applyRoutingChanges({
      file,
      changes: [ESCALATE],
      apply: true,
      now: NOW,
      db,
      actor: 'test',
      evidence: { classify: { n: 1000, failures: 80 } },
    });
    expect(r).toMatchObject({ written: true, newVersion: 2 });
    const after = readFileSync(file, 'utf8');
    const oldLines = TABLE.split('\n');
    const newLines = after.split('\n');
    expect(minus(oldLines, newLines)).toEqual([
      'version: 1   # bumped on every write',
      '  classify: { tier: trivial }   # hot path',
    ]);
    expect(minus(newLines, oldLines)).toEqual([
      'version: 2   # bumped on every write',
      expect.stringMatching(/^ {2}classify: \{ tier: standard, escalatedFrom: trivial, .*\} {3}# hot path$/),
    ]);
    expect(comments(after)).toEqual(comments(TABLE));
    const { table } = loadRoutingTable(file);
    expect(table.version).toBe(2);
    expect(table.taskClasses.classify).toMatchObject({
      tier: 'standard',
      escalatedFrom: 'trivial',
      escalatedAt: NOW.toISOString(),
    });
    expect(table.taskClasses.summarize.tier).toBe('standard');
    const audit = await db.query<{
      action: string;
      task_type: string;
      actor: string;
      details: Record<string, unknown>;
    }>(`select action, task_type, actor, details from audit_log order by id`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ action: 'escalate', task_type: 'classify', actor: 'test' });
    expect(audit.rows[0].details).toMatchObject({
      fromTier: 'trivial',
      to: 'standard',
      version: 2,
      evidence: { n: 1000, failures: 80 },
      diff: r.diff,
    });
    const versions = await db.query<{ version: number; content: string }>(
      `select version, content from routing_versions where path = $1 order by version`,
      [file],
    );
    expect(versions.rows.map((v) => v.version)).toEqual([1, 2]);
    expect(versions.rows[1].content).toBe(after);
    expect(readdirSync(path.dirname(file))).toEqual(['routing.yaml']); // no temp or lock file left
  });

  it('edits block-style entries in place and de-escalates back', async () => {
    const file = tableFile();
    await applyRoutingChanges({
      file,
      changes: [{ ...ESCALATE, taskType: 'summarize', fromTier: 'standard', to: 'complex' }],
      apply: true,
      now: NOW,
    });
    const mid = readFileSync(file, 'utf8');
    expect(mid).toContain('    tier: complex    # block style entry\n    escalatedFrom: standard\n');
    await applyRoutingChanges({
      file,
      changes: [
        { taskType: 'summarize', kind: 'deescalate', fromTier: 'complex', to: 'standard', reason: 'recovered' },
      ],
      apply: true,
      now: NOW,
      expectedVersion: 2,
    });
    const { table } = loadRoutingTable(file);
    expect(table.version).toBe(3);
    expect(table.taskClasses.summarize).toEqual({
      tier: 'standard',
      reason: `de-escalated from complex at ${NOW.toISOString()}: recovered`,
    });
    expect(comments(readFileSync(file, 'utf8'))).toEqual(comments(TABLE));
  });

  it.each([
    ['bad YAML', TABLE.replace('  standard: claude', '  standard: [claude'), /routing\.yaml:\d+: invalid YAML/],
    [
      'an unknown tier',
      TABLE.replace('summarize:\n    tier: standard', 'summarize:\n    tier: premium'),
      /routing\.yaml:14: taskClasses.summarize.tier: unknown tier "premium"/,
    ],
    [
      'a missing field',
      TABLE.replace('    tier: standard    # block style entry\n', '    pinned: false\n'),
      /routing\.yaml:14: taskClasses\.summarize\.tier: .*expected string/,
    ],
    [
      'no version',
      TABLE.replace('version: 1   # bumped on every write\n', ''),
      /routing\.yaml: version: .*expected number/,
    ],
  ])('refuses a table with %s, naming file and line, and leaves it untouched', async (_name, text, message) => {
    const file = tableFile(text);
    for (const apply of [false, true]) {
      const err = await applyRoutingChanges({ file, changes: [ESCALATE], apply, now: NOW }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RoutingTableError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('never writes an edit that would make the table invalid', async () => {
    const file = tableFile();
    const err = await applyRoutingChanges({
      file,
      changes: [{ ...ESCALATE, to: 'platinum' }],
      apply: true,
      now: NOW,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoutingTableError);
    expect((err as Error).message).toMatch(/refusing to write .*routing\.yaml.*unknown tier "platinum"/);
    expect(readFileSync(file, 'utf8')).toBe(TABLE);
  });

  it('refuses when the version on disk moved since the decision', async () => {
    const file = tableFile(TABLE.replace('version: 1 ', 'version: 4 '));
    await expect(
      applyRoutingChanges({ file, changes: [ESCALATE], apply: true, now: NOW, expectedVersion: 1 }),
    ).rejects.toThrow(/version 4 on disk, decided on version 1/);
  });

  it('serializes two processes applying at once: one writes version 2, the other re-reads and refuses', async () => {
    const file = tableFile();
    const child = fileURLToPath(new URL('../../test/support/apply-routing-child.ts', import.meta.url));
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', child, file, '400'], { cwd: process.cwd() });
    const outs = await Promise.all([run(), run()]);
    const results = outs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!));
    expect(results.filter((r) => r.ok)).toEqual([expect.objectContaining({ written: true, version: 2 })]);
    expect(results.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({
        code: 'routing_conflict',
        message: expect.stringMatching(/version 2 on disk, decided on version 1/),
      }),
    ]);
    expect(loadRoutingTable(file).table.version).toBe(2);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const file = tableFile();
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), at: '2026-01-01T00:00:00Z' }),
    );
    const r = await applyRoutingChanges({ file, changes: [ESCALATE], apply: true, now: NOW, lockTimeoutMs: 500 });
    expect(r.written).toBe(true);
  });

  it('waits for a live holder and then gives up with who holds it', async () => {
    const file = tableFile();
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), at: '2026-01-01T00:00:00Z' }),
    );
    await expect(
      applyRoutingChanges({ file, changes: [ESCALATE], apply: true, now: NOW, lockTimeoutMs: 100 }),
    ).rejects.toThrow(/held by pid \d+/);
    expect(readFileSync(file, 'utf8')).toBe(TABLE);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { loadRoutingTable } from '../routing/routing-table.js';
import { runEscalation } from './run-escalation.js';
import { seededRandom } from '../stats/seeded-random.js';
import { insertJudgedVerdicts } from '../../test/support/insert-judged-verdicts.js';

const TABLE = `version: 1
tiers:   # cheapest first
  trivial: cheap-1
  standard: mid-1
  complex: big-1
taskClasses:
  healthy: { tier: trivial }
  broken: { tier: trivial }   # the one that drifts
  tiny: { tier: trivial }
`;
const NOW = new Date('2026-11-26T03:00:00Z');

const insertJudged = insertJudgedVerdicts;

describe.each(testDbAdapters.filter((a) => a.enabled))('runEscalation on $name', ({ create }) => {
  let db: Db;
  let file: string;
  const deps = () => ({ db, now: () => NOW });
  beforeAll(async () => {
    db = await create();
    file = path.join(mkdtempSync(path.join(tmpdir(), 'dw-esc-')), 'routing.yaml');
    writeFileSync(file, TABLE);
    const rand = seededRandom(11);
    const at8 = Array.from({ length: 1000 }, (_, i) => i + 1).filter(() => rand() < 0.08);
    await insertJudged(
      db,
      'healthy',
      1000,
      Array.from({ length: 10 }, (_, i) => 50 + i * 100),
    );
    await insertJudged(db, 'broken', 1000, at8);
    await insertJudged(db, 'tiny', 12, [3]);
  });
  afterAll(async () => db?.close());

  it('decides without writing, keeps the escalation pending and stores S and H for the sampler', async () => {
    const run = await runEscalation(deps(), { routingTable: file, apply: false });
    const by = Object.fromEntries(run.classes.map((c) => [c.taskType, c]));
    expect(by.broken).toMatchObject({
      decision: 'escalate',
      to: 'standard',
      applied: false,
      judged: 1000,
      sampled: 1000,
      threshold: 205,
    }); // 1,000 judged over just under 10 days (100.1/day) round up to the grid point 112: nightly H 205 (200 at 100)
    expect(by.healthy).toMatchObject({ decision: 'hold', judged: 1000, failures: 10 });
    expect(by.tiny).toMatchObject({ decision: 'insufficient', reason: '12 < 50 samples' });
    expect(run.routingTableChanged).toBe(false);
    expect(run.diff).toContain('+  broken: { tier: standard');
    expect(readFileSync(file, 'utf8')).toBe(TABLE);
    const st = await db.query<{ value: { S: number; H: number; pending: unknown } }>(
      `select value from driftwatch_state where key = 'cusum:broken'`,
    );
    expect(st.rows[0].value.S).toBeGreaterThanOrEqual(st.rows[0].value.H);
    expect(st.rows[0].value.pending).toMatchObject({ kind: 'escalate', to: 'standard' });
  });

  it('still escalates on the next run without new samples', async () => {
    const run = await runEscalation(deps(), { routingTable: file, apply: false });
    expect(run.classes.find((c) => c.taskType === 'broken')).toMatchObject({ decision: 'escalate', newVerdicts: 0 });
  });

  it('applies the pending escalation, audits it and restarts monitoring on the new tier', async () => {
    const run = await runEscalation(deps(), { routingTable: file, apply: true });
    expect(run).toMatchObject({ routingTableChanged: true, version: 2 });
    expect(run.classes.find((c) => c.taskType === 'broken')).toMatchObject({ decision: 'escalate', applied: true });
    const { table } = loadRoutingTable(file);
    expect(table.taskClasses.broken).toMatchObject({ tier: 'standard', escalatedFrom: 'trivial' });
    expect(readFileSync(file, 'utf8')).toContain('  broken: { tier: standard, escalatedFrom: trivial, ');
    const st = await db.query<{ value: { S: number; H: number; tier: string; shadow: unknown; pending: unknown } }>(
      `select value from driftwatch_state where key = 'cusum:broken'`,
    );
    // every routing change restarts the CUSUM with the notes' head start H/4 (rule 3)
    expect(st.rows[0].value).toMatchObject({
      S: Math.floor(st.rows[0].value.H / 4),
      tier: 'standard',
      shadow: { tier: 'trivial', model: 'cheap-1' },
      pending: null,
    });
    expect(st.rows[0].value.S).toBeGreaterThan(0);
    const audit = await db.query(`select 1 from audit_log where action = 'escalate' and task_type = 'broken'`);
    expect(audit.rows).toHaveLength(1);
  });

  it('consumes each verdict once, including late judgments of old events', async () => {
    const again = await runEscalation(deps(), { routingTable: file, apply: true });
    expect(again.routingTableChanged).toBe(false);
    expect(again.classes.every((c) => c.newVerdicts === 0)).toBe(true);
    await insertJudged(db, 'healthy', 40, [], { start: '2026-11-10T00:00:00Z', prefix: 'late' });
    const late = await runEscalation(deps(), { routingTable: file, apply: true });
    expect(late.classes.find((c) => c.taskType === 'healthy')).toMatchObject({
      newVerdicts: 40,
      judged: 1040,
      failures: 10,
    });
  });
});

describe.each(testDbAdapters.filter((a) => a.enabled))(
  'runEscalation with classes and tiers the table does not list, on $name',
  ({ create }) => {
    let db: Db;
    const deps = () => ({ db, now: () => NOW });
    const write = (text: string) => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'dw-esc-')), 'routing.yaml');
      writeFileSync(file, text);
      return file;
    };
    beforeAll(async () => {
      db = await create();
      const rand = seededRandom(5);
      const failing = Array.from({ length: 1000 }, (_, i) => i + 1).filter(() => rand() < 0.1);
      await insertJudged(db, 'summarise', 1000, failing); // a typo of the listed "summarize"
      await insertJudged(db, 'broken', 1000, failing);
    });
    afterAll(async () => db?.close());

    it('reports an unlisted class that drifts and never appends it to the table', async () => {
      const file = write(
        `version: 1\ntiers: { trivial: cheap-1, standard: mid-1 }\ndefault: { tier: trivial }\ntaskClasses:\n  summarize: { tier: trivial }\n  broken: { tier: trivial }\n`,
      );
      const before = readFileSync(file, 'utf8');
      const run = await runEscalation(deps(), { routingTable: file, apply: true });
      const typo = run.classes.find((c) => c.taskType === 'summarise');
      expect(typo).toMatchObject({ decision: 'hold', unlisted: true, applied: false, judged: 1000 });
      expect(typo?.reason).toMatch(/not listed in the routing table .*add it under taskClasses/);
      expect(typo?.statistic).toBeGreaterThanOrEqual(typo!.threshold); // it would have escalated
      const after = readFileSync(file, 'utf8');
      expect(after).not.toContain('summarise');
      expect(run.classes.find((c) => c.taskType === 'broken')).toMatchObject({ decision: 'escalate', applied: true });
      expect(after).not.toBe(before);
    });

    it('drops a pending escalation whose target tier was removed, with an audit row, and runs on', async () => {
      const file = write(
        `version: 1\ntiers: { trivial: cheap-1, standard: mid-1, complex: big-1 }\ntaskClasses:\n  broken: { tier: standard }\n`,
      );
      await db.query(`delete from driftwatch_state`);
      await db.query(`delete from escalator_processed`);
      const decided = await runEscalation(deps(), { routingTable: file, apply: false });
      expect(decided.classes.find((c) => c.taskType === 'broken')).toMatchObject({
        decision: 'escalate',
        to: 'complex',
      });
      writeFileSync(
        file,
        `version: 1\ntiers: { trivial: cheap-1, standard: mid-1 }   # complex removed by hand\ntaskClasses:\n  broken: { tier: standard }\n`,
      );
      const before = readFileSync(file, 'utf8');
      for (let i = 0; i < 2; i++) {
        const run = await runEscalation(deps(), { routingTable: file, apply: true });
        expect(run.routingTableChanged).toBe(false);
        expect(run.classes.find((c) => c.taskType === 'broken')?.decision).not.toBe('escalate');
      }
      expect(readFileSync(file, 'utf8')).toBe(before);
      const audit = await db.query<{ task_type: string; details: { reason: string; pending: { to: string } } }>(
        `select task_type, details from audit_log where action = 'pending_dropped'`,
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]).toMatchObject({ task_type: 'broken', details: { pending: { to: 'complex' } } });
      expect(audit.rows[0].details.reason).toMatch(/tier "complex" is no longer listed/);
      const st = await db.query<{ value: { pending: unknown } }>(
        `select value from driftwatch_state where key = 'cusum:broken'`,
      );
      expect(st.rows[0].value.pending).toBeNull();
    });
  },
);

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRoutingEvents } from '../../test/support/insert-events.js';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import type { ReportSeries } from '../reports/charts/report-series.js';
import { createCycleDeps, type CycleOptions, type ReportSink } from './cycle-deps.js';
import { runCycle } from './run-cycle.js';

const TABLE = `# test table
version: 1
tiers:
  trivial: gpt-4o-mini
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022
  critical: claude-3-5-sonnet-20241022
taskClasses:
  classify: { tier: trivial }
  summarize: { tier: standard }
  compliance_check: { tier: critical, pinned: true }
`;

const options = (o: Partial<CycleOptions> = {}): CycleOptions => ({
  kind: 'nightly',
  apply: true,
  rate: 1,
  judge: {},
  actor: 'nightly',
  ...o,
});

/** 200 events per class on `day`: classify 1% wrong, summarize 20%, compliance_check none (exact labels). */
async function seedNight(db: Db, day: string, prefix: string): Promise<void> {
  const t0 = Date.parse(`${day}T00:00:00Z`);
  const classes = { classify: 100, summarize: 5, compliance_check: 0 };
  const rows = Object.entries(classes).flatMap(([taskType, every], c) =>
    Array.from({ length: 200 }, (_, i) => ({
      id: `${prefix}-${taskType}-${i}`,
      ts: new Date(t0 + (c * 200 + i) * 60_000).toISOString(),
      taskType,
      response: every > 0 && i % every === 1 ? 'wrong' : 'right',
      reference: 'right',
    })),
  );
  await insertRoutingEvents(db, rows);
}

let db: Db;
let dir: string;
const memory = () => {
  const written = new Map<string, string>();
  const sink: ReportSink = {
    writeReport: (file, md) => {
      written.set(file, md);
      return file;
    },
  };
  return { written, sink };
};
const config = configSchema.parse({
  judge: { comparators: { summarize: 'exact-label', compliance_check: 'exact-label' } },
});
const depsFor = (reports: ReportSink, at = '2026-11-26T02:00:00Z') =>
  createCycleDeps({ db, loaded: { config, baseDir: dir }, now: () => new Date(at), log: () => {}, reports });

beforeAll(async () => {
  db = await createTestPglite();
  dir = mkdtempSync(path.join(tmpdir(), 'dw-cycle-'));
  writeFileSync(path.join(dir, 'routing.yaml'), TABLE);
});
afterAll(async () => {
  await db.close();
});

describe('runCycle', () => {
  it('runs the steps in order, records the run and its class rates, applies the move and writes the report', async () => {
    await seedNight(db, '2026-11-25', 'n1');
    const { written, sink } = memory();
    const events: string[] = [];
    const deps = { ...depsFor(sink), log: (event: string) => void events.push(event) };
    const r = await runCycle(deps, options({ out: path.join(dir, 'n1.md') }));
    expect(events.filter((e) => e !== 'progress')).toEqual([
      'run_started',
      'sampled',
      'judged',
      'decided',
      'run_finished',
    ]);
    expect(r.runId).toMatch(/^2026-11-26-[0-9a-f]{8}$/);
    expect(r.escalationDecided).toBe(true);
    expect(r.json).toMatchObject({
      runId: r.runId,
      routingTableChanged: true,
      judge: { provider: 'offline', calls: 0, costUsd: 0, judged: 600, pending: 0 },
      routingTable: { path: 'routing.yaml', versionBefore: 1, versionAfter: 2, pending: false },
      cache: { sampledHits: 0, falseHits: 0, falseHitRate: null },
    });
    expect(r.json!.classes.map((c) => [c.taskType, c.tier, c.decision, c.to ?? null, c.errorRate])).toEqual([
      ['classify', 'trivial', 'hold', null, 0.01],
      ['summarize', 'standard', 'escalate', 'complex', 0.2],
      ['compliance_check', 'critical', 'hold', null, 0],
    ]);
    expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).toContain('summarize: { tier: complex');
    const run = await db.query<{ status: string; kind: string }>(`select status, kind from runs where id = $1`, [
      r.runId,
    ]);
    expect(run.rows).toEqual([{ status: 'ok', kind: 'nightly' }]);
    const rates = await db.query<{ task_type: string; n: number; failures: number; decision: string }>(
      `select task_type, n, failures, details->>'decision' as decision from class_rates where run_id = $1 order by task_type`,
      [r.runId],
    );
    expect(rates.rows).toEqual([
      { task_type: 'classify', n: 200, failures: 2, decision: 'hold' },
      { task_type: 'compliance_check', n: 200, failures: 0, decision: 'hold' },
      { task_type: 'summarize', n: 200, failures: 40, decision: 'escalate' },
    ]);
    expect(written.get(path.join(dir, 'n1.md'))).toContain('**escalate** → complex (applied)');
  });

  it('draws the trend from earlier runs plus this one and writes the charts before the report', async () => {
    await seedNight(db, '2026-11-26', 'n2');
    const calls: { file: string; classes: string[] }[] = [];
    const { written, sink } = memory();
    sink.writeCharts = async (file: string, series: ReportSeries) => {
      calls.push({ file, classes: series.trend!.classes.map((c) => c.taskType) });
      return [{ section: 'Trend', file: 'charts/trend.svg', alt: 'trend picture' }];
    };
    const r = await runCycle(depsFor(sink, '2026-11-27T02:00:00Z'), options({ apply: false, out: 'n2.md' }));
    expect(r.summary!.trend.map((p) => p.label)).toEqual(['2026-11-26', '2026-11-27']);
    expect(r.summary!.trend[1].rates.classify).toBe(0.01);
    expect(calls).toEqual([{ file: 'n2.md', classes: ['classify', 'summarize', 'compliance_check'] }]);
    expect(written.get('n2.md')).toContain('## Trend\n\n![trend picture](charts/trend.svg)');
    expect(r.json!.routingTable).toMatchObject({ versionBefore: 2, versionAfter: 2 });
    const bare = memory();
    const r2 = await runCycle(
      depsFor({ ...bare.sink, writeCharts: sink.writeCharts }),
      options({ out: 'n3.md', charts: false }),
    );
    expect(calls).toHaveLength(1);
    expect(bare.written.get('n3.md')).not.toContain('![');
    expect(r2.json!.series!.trend).toBeDefined(); // --json keeps the series without pictures
  });
});

describe('runCycle when it cannot finish', () => {
  it('writes nothing when the routing table is invalid: the cycle reads it before the run is recorded', async () => {
    const before = await db.query(`select id from runs`);
    const bad = mkdtempSync(path.join(tmpdir(), 'dw-cycle-bad-'));
    writeFileSync(
      path.join(bad, 'routing.yaml'),
      TABLE.replace('summarize: { tier: standard }', 'summarize: { tier: huge }'),
    );
    const build = () => createCycleDeps({ db, loaded: { config, baseDir: bad }, now: () => new Date(), log: () => {} });
    expect(build).toThrow(/routing\.yaml.*huge|huge.*routing\.yaml/s);
    expect((await db.query(`select id from runs`)).rows).toEqual(before.rows);
  });

  it('stops between steps when aborted and marks the run aborted', async () => {
    await seedNight(db, '2026-11-27', 'n4');
    const controller = new AbortController();
    controller.abort(); // SIGTERM arrived while sampling: the sample step finishes, nothing after it runs
    const r = await runCycle(depsFor(memory().sink), options({ signal: controller.signal }));
    expect(r.aborted).toBe(true);
    const row = await db.query<{ status: string }>(`select status from runs where id = $1`, [r.runId]);
    expect(row.rows[0].status).toBe('aborted');
    const judged = await db.query(`select 1 from judgments where run_id = $1`, [r.runId]);
    expect(judged.rows).toHaveLength(0);
  });

  it('marks the run failed and rethrows when a step fails', async () => {
    const sink: ReportSink = {
      writeReport: () => {
        throw new Error('disk full');
      },
    };
    const r = runCycle(depsFor(sink), options({ out: 'x.md' }));
    await expect(r).rejects.toThrow('disk full');
    const row = await db.query<{ status: string; summary: { error: string } }>(
      `select status, summary from runs where status = 'failed'`,
    );
    expect(row.rows).toEqual([{ status: 'failed', summary: { error: 'disk full' } }]);
  });
});

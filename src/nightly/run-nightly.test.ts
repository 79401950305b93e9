import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { RoutingTableError } from '../errors.js';
import { makeNightlyDeps } from '../../test/support/make-nightly-deps.js';
import type { NightlyOptions } from './nightly-deps.js';
import { runNightly } from './run-nightly.js';

const options = (o: Partial<NightlyOptions> = {}): NightlyOptions => ({
  kind: 'nightly',
  apply: true,
  judge: {},
  actor: 'nightly',
  ...o,
});

describe('runNightly', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('writes the charts before the report and links them; charts: false (--no-charts) writes markdown only', async () => {
    const calls: { file: string; classes: string[]; n: number[] }[] = [];
    const writeCharts = async (file: string, series: import('../reports/charts/report-series.js').ReportSeries) => {
      calls.push({
        file,
        classes: series.trend!.classes.map((c) => c.taskType),
        n: series.trend!.classes.map((c) => c.points.at(-1)!.n),
      });
      return [{ section: 'Trend', file: 'charts/trend.svg', alt: 'trend picture' }];
    };
    const own = await createTestPglite(); // its runs would show in the other tests' trend
    const withCharts = makeNightlyDeps(own, { writeCharts, newRunId: () => 'run-charts-1' });
    const r = await runNightly(withCharts, options({ out: 'reports/with.md' }));
    expect(calls).toEqual([
      { file: 'reports/with.md', classes: ['classify', 'summarize', 'compliance_check'], n: [1000, 1000, 100] },
    ]);
    expect(withCharts.written.get('reports/with.md')).toContain('## Trend\n\n![trend picture](charts/trend.svg)');
    expect(r.json!.series!.trend!.threshold).toBe(withCharts.maxErrorRate);
    const bare = makeNightlyDeps(own, { writeCharts, newRunId: () => 'run-charts-2' });
    const r2 = await runNightly(bare, options({ out: 'reports/bare.md', charts: false }));
    expect(calls).toHaveLength(1);
    expect(bare.written.get('reports/bare.md')).not.toContain('![');
    expect(r2.json!.series!.trend!.classes).toHaveLength(3); // --json keeps the series without pictures
    await own.close();
  });

  it('runs the steps in order, records the run and its class rates, and writes the report', async () => {
    const deps = makeNightlyDeps(db);
    const r = await runNightly(deps, options());
    expect(deps.events).toEqual(['run_started', 'sampled', 'judged', 'decided', 'run_finished']);
    expect(r.escalationDecided).toBe(true);
    expect(r.json).toMatchObject({
      runId: 'run-1',
      routingTableChanged: true,
      report: 'reports/2026-11-26-nightly.md',
      judge: { provider: 'offline', calls: 0, costUsd: 0 },
      cache: { sampledHits: 0, falseHits: 0, falseHitRate: null },
    });
    expect(r.json!.classes.map((c) => [c.taskType, c.tier, c.decision, c.to ?? null])).toEqual([
      ['classify', 'trivial', 'hold', null],
      ['summarize', 'standard', 'escalate', 'complex'],
      ['compliance_check', 'critical', 'hold', null],
    ]);
    const run = await db.query<{ status: string }>(`select status from runs where id = 'run-1'`);
    expect(run.rows[0].status).toBe('ok');
    const rates = await db.query<{ task_type: string; n: number; failures: number }>(
      `select task_type, n, failures from class_rates where run_id = 'run-1' order by task_type`,
    );
    expect(rates.rows).toEqual([
      { task_type: 'classify', n: 1000, failures: 10 },
      { task_type: 'compliance_check', n: 100, failures: 0 },
      { task_type: 'summarize', n: 1000, failures: 80 },
    ]);
    expect(deps.written.get('reports/2026-11-26-nightly.md')).toContain('**escalate** → complex (applied)');
  });

  it('draws the trend from earlier runs plus this one', async () => {
    const deps = makeNightlyDeps(db, { newRunId: () => 'run-trend' });
    const r = await runNightly(deps, options({ apply: false }));
    expect(r.summary!.trend.map((p) => p.runId)).toEqual(['run-1', 'run-trend']);
    expect(r.summary!.trend[1].rates.summarize).toBe(0.08);
    expect(r.summary!.trend.map((p) => p.label)).toEqual(['11-26 02:00', '11-26 02:00']); // same day: time labels
    expect(r.json!.routingTableChanged).toBe(false);
    expect(r.json!.routingTable.pending).toBe(true);
  });

  it('writes nothing when the routing table is invalid', async () => {
    const before = await db.query(`select id from runs`);
    const deps = makeNightlyDeps(db, {
      readRoutingTable: () => {
        throw new RoutingTableError('routing.yaml:9: taskClasses.summarize.tier: unknown tier "huge"');
      },
    });
    await expect(runNightly(deps, options())).rejects.toThrow(/routing.yaml:9/);
    expect((await db.query(`select id from runs`)).rows).toEqual(before.rows);
    expect(deps.written.size).toBe(0);
  });

  it('stops between steps when aborted and marks the run aborted', async () => {
    const controller = new AbortController();
    let judged = false;
    const deps = makeNightlyDeps(db, {
      newRunId: () => 'run-abort',
      sample: async () => {
        controller.abort(); // SIGTERM arrives while sampling
        return { routingByClass: {}, cacheSampled: 0 };
      },
      judge: async () => {
        judged = true;
        throw new Error('must not run');
      },
    });
    const r = await runNightly(deps, options({ signal: controller.signal }));
    expect(r.aborted).toBe(true);
    expect(judged).toBe(false);
    expect((await db.query<{ status: string }>(`select status from runs where id = 'run-abort'`)).rows[0].status).toBe(
      'aborted',
    );
  });

  it('marks the run failed and rethrows when a step fails', async () => {
    const deps = makeNightlyDeps(db, {
      newRunId: () => 'run-fail',
      judge: async () => Promise.reject(new Error('judge exploded')),
    });
    await expect(runNightly(deps, options())).rejects.toThrow('judge exploded');
    const row = (
      await db.query<{ status: string; summary: { error: string } }>(
        `select status, summary from runs where id = 'run-fail'`,
      )
    ).rows[0];
    expect(row).toEqual({ status: 'failed', summary: { error: 'judge exploded' } });
  });
});

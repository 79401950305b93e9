import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { loadTrend, writeClassRates } from './class-rates-store.js';
import { finishRun, loadLatestRunSummary, newRunId, startRun } from './run-record.js';

describe('the run record', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('gives every run one id format: its UTC date and 8 hex digits', () => {
    expect(newRunId(new Date('2026-11-26T23:59:59Z'))).toMatch(/^2026-11-26-[0-9a-f]{8}$/);
    expect(newRunId()).not.toBe(newRunId());
  });

  it('starts a run as running with its clock and closes it with a status, time and summary', async () => {
    const startedAt = new Date('2026-11-26T02:00:00Z');
    const id = await startRun(db, { kind: 'sample', startedAt });
    expect(id).toMatch(/^2026-11-26-/);
    const running = await db.query<{ status: string; started_at: Date }>(
      `select status, started_at from runs where id = $1`,
      [id],
    );
    expect(running.rows[0].status).toBe('running');
    expect(new Date(running.rows[0].started_at).toISOString()).toBe(startedAt.toISOString());
    await finishRun(db, { id, status: 'ok', finishedAt: new Date('2026-11-26T02:05:00Z'), summary: { report: 1 } });
    const done = await db.query<{ status: string; finished_at: Date }>(
      `select status, finished_at from runs where id = $1`,
      [id],
    );
    expect(done.rows[0].status).toBe('ok');
    expect(new Date(done.rows[0].finished_at).toISOString()).toBe('2026-11-26T02:05:00.000Z');
    expect(await loadLatestRunSummary(db)).toEqual({ runId: id, summary: { report: 1 } });
  });

  it('refuses a second run with the same id instead of writing over it', async () => {
    await startRun(db, { kind: 'judge', id: 'fixed-id' });
    await expect(startRun(db, { kind: 'judge', id: 'fixed-id' })).rejects.toThrow();
  });

  it('stores class rates once per run, class, source and scope, and reads the trend of finished cycles only', async () => {
    const id = await startRun(db, { kind: 'nightly', startedAt: new Date('2026-11-27T02:00:00Z') });
    const row = { source: 'routing', taskType: 'classify', n: 100, failures: 3, nEff: 100, lower: 0.01, upper: 0.08 };
    await writeClassRates(db, id, 'run', [{ ...row, rate: 0.05 }], () => ({ decision: 'hold' }));
    await writeClassRates(db, id, 'run', [{ ...row, rate: 0.03 }], () => ({ decision: 'hold' })); // rerun replaces
    await writeClassRates(db, id, 'run', [{ ...row, model: 'other', rate: 0.5 }]); // split by model: not stored
    expect(await loadTrend(db, undefined)).toEqual([]); // still running
    const [point] = await loadTrend(db, id);
    expect(point).toMatchObject({ runId: id, label: '2026-11-27', rates: { classify: 0.03 }, n: { classify: 100 } });
    expect(point.stats!.classify).toEqual({ n: 100, lower: 0.01, upper: 0.08, decision: 'hold' });
  });
});

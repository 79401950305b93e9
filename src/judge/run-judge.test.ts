import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { insertCacheLookups, insertRoutingEvents } from '../../test/support/insert-events.js';
import { plantedCacheHits, plantedRouting } from '../../test/support/planted-events.js';
import { runSample } from '../sampler/run-sample.js';
import { computeClassRates } from './compute-class-rates.js';
import { runJudge } from './run-judge.js';

const config = configSchema.parse({});
const now = () => new Date('2026-11-26T03:00:00Z');

/** Wilson 95% written out independently of src/stats (z = 1.959963984540054). */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const h = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [c - h, c + h];
}

describe('runJudge offline over planted errors', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
    await insertRoutingEvents(db, [...plantedRouting('classify', 1000, 10), ...plantedRouting('gsm8k_math', 1000, 80)]);
    await insertCacheLookups(db, plantedCacheHits(1000, 30));
  });
  afterAll(async () => db?.close());

  it('samples everything at --rate 1 and counts exactly the planted failures', async () => {
    const s = await runSample({ db, now }, { sampler: config.sampler, cache: config.cache, rate: 1 });
    expect(s.sampled).toEqual({ routing: 2000, cache: 1000 });
    const r = await runJudge({ db, now, workerId: 'w1' }, {});
    expect(r).toMatchObject({
      judged: 3000,
      pending: 0,
      calls: 0,
      costUsd: 0,
      stoppedByBudget: false,
      unjudgeable: 0,
      duplicates: 0,
    });
    const rates = await computeClassRates(db);
    const get = (source: string, t: string) => rates.find((x) => x.source === source && x.taskType === t)!;
    expect([
      get('routing', 'classify').failures,
      get('routing', 'gsm8k_math').failures,
      get('cache', 'faq').failures,
    ]).toEqual([10, 80, 30]);
    for (const [row, k] of [
      [get('routing', 'classify'), 10],
      [get('routing', 'gsm8k_math'), 80],
      [get('cache', '*'), 30],
    ] as const) {
      const [lo, hi] = wilson(k, 1000);
      expect(row.n).toBe(1000);
      expect(Math.abs(row.lower - lo)).toBeLessThan(0.005);
      expect(Math.abs(row.upper - hi)).toBeLessThan(0.005);
      expect(row.lower).toBeCloseTo(lo, 6);
    }
  });

  it('judges nothing twice when run again', async () => {
    const r = await runJudge({ db, now }, {});
    expect(r).toMatchObject({ judged: 0, pending: 0 });
    const n = await db.query<{ n: number }>(`select count(*)::int as n from judgments`);
    expect(n.rows[0].n).toBe(3000);
  });

  it('marks samples without a reference unjudgeable, reported and not counted', async () => {
    await insertRoutingEvents(db, [
      { id: 'noref', ts: '2026-11-25T05:00:00Z', taskType: 'classify', response: 'billing', reference: null },
    ]);
    await runSample({ db, now }, { sampler: config.sampler, cache: config.cache, rate: 1 });
    const r = await runJudge({ db, now }, {});
    expect(r).toMatchObject({ judged: 0, unjudgeable: 1, pending: 0 });
    const st = await db.query<{ status: string; unjudgeable_reason: string }>(
      `select s.status, s.unjudgeable_reason from samples s where event_id = 'noref'`,
    );
    expect(st.rows[0]).toEqual({ status: 'unjudgeable', unjudgeable_reason: expect.stringContaining('no reference') });
    expect((await computeClassRates(db)).find((x) => x.taskType === 'classify')!.n).toBe(1000);
  });

  it('takes back claims whose lease expired (a killed worker)', async () => {
    await insertRoutingEvents(db, [
      { id: 'orphan', ts: '2026-11-25T06:00:00Z', taskType: 'classify', response: 'refund', reference: 'refund' },
    ]);
    await runSample({ db, now }, { sampler: config.sampler, cache: config.cache, rate: 1 });
    await db.query(
      `update samples set status = 'claimed', claimed_by = 'dead', claimed_at = now() - interval '1 hour' where event_id = 'orphan'`,
    );
    const fresh = await runJudge({ db, now }, { leaseSeconds: 7200 });
    expect(fresh).toMatchObject({ judged: 0, pending: 1 });
    const r = await runJudge({ db, now }, { leaseSeconds: 600 });
    expect(r).toMatchObject({ judged: 1, pending: 0 });
  });
});

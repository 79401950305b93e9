import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import { loadJudgedVolumes } from './escalator-queries.js';

// loadJudgedVolumes before issue 15, verbatim: every judgment x samples x routing_events (through the
// text primary key) to keep the last 7 days. The bounded statement must give the same figures.
const OLD = `with base as (
       select s.task_type, r.ts,
              coalesce(least(1.0, sr.base_rate / nullif(s.inclusion_prob, 0)), 1.0) as share
         from judgments j join samples s on s.id = j.sample_id join routing_events r on r.id = s.event_id
         left join stratum_rates sr on sr.source = 'routing' and sr.reason = 'routing' and sr.task_type = s.task_type and sr.day = r.utc_day
        where s.source = 'routing' and s.reason <> 'shadow'),
     last as (select task_type, max(ts) as mx from base group by task_type)
     select b.task_type, sum(b.share)::float8 as n, min(b.ts) as mn, l.mx
       from base b join last l using (task_type)
      where b.ts > l.mx - interval '7 days'
      group by b.task_type, l.mx`;

async function oldVolumes(db: Db): Promise<Map<string, number>> {
  const r = await db.query<{ task_type: string; n: number; mn: Date | string; mx: Date | string }>(OLD);
  const out = new Map<string, number>();
  for (const row of r.rows) {
    const days = Math.min(7, Math.max(1, (new Date(row.mx).getTime() - new Date(row.mn).getTime()) / 86_400_000));
    out.set(row.task_type, row.n / days);
  }
  return out;
}

// Classes with different spans: 12 days (window cuts), 3 days, one day, and one whose newest
// samples are not judged yet; shadow samples, boosted inclusion probabilities and days with and
// without a stored base rate; a class with samples but no verdict; a midnight-UTC boundary event.
const spans: Record<string, number> = { long: 12, short: 3, single: 1, pending: 9, unjudged: 4 };
const events: TestRoutingEvent[] = Object.entries(spans).flatMap(([cls, days]) =>
  Array.from({ length: days * 40 }, (_, i) => ({
    id: `${cls}-${i}`,
    ts: new Date(Date.UTC(2026, 10, 1 + Math.floor(i / 40), (i * 5) % 24, (i * 7) % 60, i % 60)).toISOString(),
    taskType: cls,
    response: 'x',
  })),
);
events.push({ id: 'long-midnight', ts: '2026-11-12T00:00:00.000Z', taskType: 'long', response: 'x' });

describe.each(testDbAdapters.filter((a) => a.enabled))('loadJudgedVolumes, old and new, on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    await insertRoutingEvents(db, events);
    await db.query(`insert into runs (id, kind) values ('r1', 'nightly')`);
    await db.query(`update routing_events set metadata = '{"shadow": true}'::jsonb where id like '%-3_'`);
    await db.query(
      `insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', id, task_type, case when metadata->>'shadow' = 'true' then 'shadow' else 'routing' end, ts, 'r1',
              case when seq % 5 = 0 then null when seq % 3 = 0 then 0.2 else 0.05 end
         from routing_events where seq % 2 = 0 or id = 'long-midnight'`,
    );
    // a cache sample of a routing class name: never counted
    await db
      .query(
        `insert into cache_lookups (id, ts, task_type, query, hit, similarity) values ('c1', '2026-11-20T00:00:00Z', 'long', 'q', true, 0.95)`,
      )
      .catch(() => undefined);
    await db.query(
      `insert into samples (source, event_id, task_type, reason, event_ts) values ('cache', 'c1', 'long', 'hit', '2026-11-20T00:00:00Z')`,
    );
    await db.query(
      `insert into judgments (sample_id, verdict, provider, method, run_id)
       select id, case when id % 7 = 0 then 'fail' else 'pass' end, 'offline', 'token-f1', 'r1' from samples
        where task_type <> 'unjudged' and not (task_type = 'pending' and event_ts > '2026-11-07T00:00:00Z')`,
    );
    await db.query(
      `insert into stratum_rates (source, reason, task_type, day, expected_volume, basis, base_rate)
       select 'routing', 'routing', t, d::date, 100, 'trailing-mean', 0.05
         from unnest(array['long', 'short', 'pending']) as t, generate_series('2026-11-01'::date, '2026-11-12'::date, interval '2 days') as d`,
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives the same per-class daily volumes as the join over all judgments', async () => {
    const old = await oldVolumes(db);
    expect(old.size).toBe(4);
    const fresh = await loadJudgedVolumes(db);
    expect([...fresh.keys()].sort()).toEqual([...old.keys()].sort());
    for (const [k, v] of old) expect(fresh.get(k)).toBeCloseTo(v, 9);
  });
});

// `sample --rate 0.05` over a whole table: runSample beside TABLESAMPLE SYSTEM(5) inserting the same
// number of rows into a copy of the samples table, and the sample run's two statements before issue 15
// (drawn ids joined back through the text primary key; the day recomputed per row) beside the new ones.
// Interleaved rounds, medians with min-max, on PGlite and (DRIFTWATCH_TEST_PG_URL) PostgreSQL.
// Run: npx tsx bench/sample-insert.ts   (SAMPLE_BENCH_N=2000000 SAMPLE_BENCH_ROUNDS=3)
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { configSchema } from '../src/config/config-schema.js';
import type { Db } from '../src/db/db.js';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../test/support/test-db.js';
import { runSample } from '../src/sampler/run-sample.js';
import { drawRouting, routingVolumes, saltWindowStart, stratumPickSql } from '../src/sampler/sampler-queries.js';

const N = Number(process.env.SAMPLE_BENCH_N ?? 2_000_000);
const ROUNDS = Number(process.env.SAMPLE_BENCH_ROUNDS ?? 3);
const CLASSES = Array.from({ length: 7 }, (_, i) => `class_${i}`);
const DAY = '2026-11-25';

const OLD_VOLUMES = `select task_type, to_char(day, 'YYYY-MM-DD') as day, volume, latest from (
       select task_type, (ts at time zone 'UTC')::date as day, count(*)::int as volume, max(ts) as latest
       from routing_events where seq > $1 and seq <= $2 group by 1, 2) as v order by 1, 2`;
const STRATA = `select * from unnest($3::text[], $4::date[], $5::int[]) as a(task_type, day, threshold)`;
const OLD_INSERT = (
  wraps: boolean,
) => `with picked as (${stratumPickSql(STRATA, 'e.seq > $1 and e.seq <= $2', '$6::int', 'strata-index', wraps)}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', e.id, e.task_type, case when e.metadata->>'shadow' = 'true' then 'shadow' else 'routing' end, e.ts, $7, p.threshold / 1000000.0
       from picked p join routing_events e on e.id = p.id
       on conflict (source, event_id) do nothing
       returning task_type, reason, event_ts)
     select task_type, reason, to_char((event_ts at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n from ins group by 1, 2, 3`;

async function fill(db: Db): Promise<void> {
  await db.query(
    `insert into routing_events (id, ts, task_type, model, response, reference)
     select 'evt-' || g, timestamptz '${DAY} 00:00:00+00' + (g % 86400) * interval '1 second', 'class_' || (g % 7), 'gpt-4o-mini', 'answer ' || g, 'answer ' || g
     from generate_series(1, ${N}) as g`,
  );
  await db.exec('vacuum analyze routing_events');
  await db.exec(
    `create table samples_copy (like samples including all); insert into runs (id, kind) values ('bench', 'sample')`,
  );
}

const reset = (db: Db) =>
  db.exec(`delete from samples; delete from driftwatch_state; delete from stratum_rates; delete from samples_copy`);

async function timed(fn: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  const rows = await fn();
  return { ms: performance.now() - t, rows };
}

async function benchEngine(engine: string, db: Db): Promise<string[]> {
  await fill(db);
  const start = await saltWindowStart(db, 'driftwatch');
  const wraps = start + 50_000 > 1_000_000;
  const alloc = CLASSES.map((taskType) => ({
    source: 'routing' as const,
    reason: 'routing',
    taskType,
    day: DAY,
    volume: N / 7,
    target: 0,
    rate: 0.05,
    boost: 1,
    threshold: 50_000,
  }));
  const config = configSchema.parse({});
  const txNoJit = <T>(fn: (tx: Db) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query('set local jit = off');
      return fn(tx as Db);
    });
  const methods: Record<string, () => Promise<number>> = {
    'runSample --rate 0.05, whole table (driftwatch)': async () =>
      (
        await runSample(
          { db, now: () => new Date('2026-11-27T00:00:00Z') },
          { sampler: config.sampler, cache: config.cache, rate: 0.05 },
        )
      ).sampled.routing,
    'TABLESAMPLE SYSTEM(5) insert into a copy of samples': () =>
      txNoJit(
        async (tx) =>
          (
            await tx.query<{ n: number }>(
              `with ins as (insert into samples_copy (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
         select 'routing', id, task_type, 'routing', ts, 'bench', 0.05 from routing_events tablesample system (5) returning 1) select count(*)::int as n from ins`,
            )
          ).rows[0]!.n,
      ),
    // the same insert into samples itself: its run_id foreign key (a check per row) and on conflict, which runSample needs
    'TABLESAMPLE SYSTEM(5) insert into samples (foreign key, on conflict)': () =>
      txNoJit(
        async (tx) =>
          (
            await tx.query<{ n: number }>(
              `with ins as (insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
         select 'routing', id, task_type, 'routing', ts, 'bench', 0.05 from routing_events tablesample system (5) on conflict (source, event_id) do nothing returning 1) select count(*)::int as n from ins`,
            )
          ).rows[0]!.n,
      ),
    'TABLESAMPLE SYSTEM(5) select only': () =>
      txNoJit(
        async (tx) =>
          (
            await tx.query<{ n: number }>(
              `select count(*)::int as n from (select id from routing_events tablesample system (5)) s`,
            )
          ).rows[0]!.n,
      ),
    'draw only, strata-index plan (driftwatch)': () =>
      txNoJit(
        async (tx) =>
          (
            await tx.query<{ n: number }>(
              `select count(*)::int as n from (${stratumPickSql(STRATA, 'e.seq > $1 and e.seq <= $2', '$6::int', 'strata-index', wraps)}) s`,
              [0, N, alloc.map((a) => a.taskType), alloc.map((a) => a.day), alloc.map((a) => a.threshold), start],
            )
          ).rows[0]!.n,
      ),
    'volumes, before (day recomputed per row)': () =>
      txNoJit(async (tx) => (await tx.query(OLD_VOLUMES, [0, N])).rows.length),
    'volumes, after (stored utc_day)': () => txNoJit(async (tx) => (await routingVolumes(tx as Db, 0, N)).length),
    'insert, before (join through text primary key)': () =>
      txNoJit(async (tx) =>
        (
          await tx.query<{ n: number }>(OLD_INSERT(wraps), [
            0,
            N,
            alloc.map((a) => a.taskType),
            alloc.map((a) => a.day),
            alloc.map((a) => a.threshold),
            start,
            'bench',
          ])
        ).rows.reduce((s, r) => s + r.n, 0),
      ),
    "insert, after (rows from the draw's scan)": () =>
      txNoJit(async (tx) =>
        (await drawRouting(tx, 0, N, alloc, start, 'bench', 'strata-index')).reduce((s, r) => s + r.sampled, 0),
      ),
  };
  const res = new Map<string, { ms: number; rows: number }[]>();
  const loads: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, fn] of Object.entries(methods)) {
      await reset(db);
      res.set(name, [...(res.get(name) ?? []), await timed(fn)]);
    }
    loads.push(
      os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join('/'),
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const sysIns = med(res.get('TABLESAMPLE SYSTEM(5) insert into a copy of samples')!.map((r) => r.ms));
  const sysSel = med(res.get('TABLESAMPLE SYSTEM(5) select only')!.map((r) => r.ms));
  const rows = [...res].map(([name, rs]) => {
    const ms = rs.map((r) => r.ms);
    return `| ${engine} | ${name} | ${rs[0]!.rows} | ${med(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}-${Math.max(...ms).toFixed(0)}) | ${(med(ms) / sysIns).toFixed(2)}x | ${(med(ms) / sysSel).toFixed(2)}x |`;
  });
  return [...rows, `| ${engine} | _load average (1/5/15 min) after each round_ | | ${loads.join('; ')} | | |`];
}

export async function runSampleInsertBench(): Promise<string> {
  const engines: [string, () => Promise<Db>][] = [['pglite', createTestPglite]];
  if (TEST_PG_URL) engines.push(['postgres', createTestPg]);
  const lines: string[] = [];
  for (const [engine, create] of engines) {
    const db = await create();
    try {
      lines.push(...(await benchEngine(engine, db)));
    } finally {
      await db.close();
    }
  }
  return [
    `## sample --rate 0.05 on ${N.toLocaleString('en-US')} events: runSample beside TABLESAMPLE SYSTEM(5) inserting as many rows (median of ${ROUNDS}, min-max)`,
    '',
    '| engine | method | rows | ms, median (min-max) | vs SYSTEM insert | vs SYSTEM select |',
    '|---|---|---:|---:|---:|---:|',
    ...lines,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await runSampleInsertBench());

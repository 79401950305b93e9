// `sample --rate 0.05` over a whole table: runSample beside TABLESAMPLE SYSTEM(5) inserting the same
// number of rows into a copy of the samples table, and the sample run's statements before issue 15
// (drawn ids joined back through the text primary key; the day recomputed per row) and before
// migration 013 (heap columns, `on conflict` per row) beside the new ones (the statements shared with
// src/sampler/sample-insert-identical.test.ts). Interleaved rounds, medians with min-max, on PGlite
// and (DRIFTWATCH_TEST_PG_URL) PostgreSQL.
// Run: npx tsx bench/sample-insert.ts   (SAMPLE_BENCH_N=2000000 SAMPLE_BENCH_ROUNDS=3
// SAMPLE_BENCH_ENGINES=pglite SAMPLE_BENCH_METHODS='runSample|insert, now': only the methods whose name
// contains one of these, the SYSTEM insert and select always)
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { configSchema } from '../src/config/config-schema.js';
import type { Db, Queryable } from '../src/db/db.js';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../test/support/test-db.js';
import { DRAWN_COLUMNS, drawRouting, routingVolumes, scanVolumes } from '../src/sampler/draw-routing.js';
import { runSample } from '../src/sampler/run-sample.js';
import { saltWindowStart, stratumPickSql } from '../src/sampler/stratum-pick.js';
import {
  heapRowsDrawSql,
  previousVolumes,
  primaryKeyJoinDrawSql,
  runPreviousDraw,
  STRATA_PARAMS_SQL,
} from '../src/sampler/testing/previous-sample-statements.js';

const N = Number(process.env.SAMPLE_BENCH_N ?? 2_000_000);
const ROUNDS = Number(process.env.SAMPLE_BENCH_ROUNDS ?? 3);
const CLASSES = Array.from({ length: 7 }, (_, i) => `class_${i}`);
const DAY = '2026-11-25';
const BASELINE = 'TABLESAMPLE SYSTEM(5) insert into a copy of samples';
const SELECT_BASELINE = 'TABLESAMPLE SYSTEM(5) select only';
const DRAW_ONLY = 'draw only, strata-index plan, the columns samples needs (driftwatch)';
const CHEAP = new Set([SELECT_BASELINE, DRAW_ONLY]);
const CHEAP_REPEATS = 7;

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

// truncate, not delete: PGlite has no autovacuum, and dead index entries would slow each later round
const reset = (db: Db) =>
  db.exec(`truncate samples cascade; truncate samples_copy; delete from driftwatch_state; delete from stratum_rates`);

const count = async (q: Queryable, sql: string, params: unknown[] = []) =>
  (await q.query<{ n: number }>(sql, params)).rows[0]!.n;

const systemInsert = (table: string, conflict: string) =>
  `with ins as (insert into ${table} (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
   select 'routing', id, task_type, 'routing', ts, 'bench', 0.05 from routing_events tablesample system (5) ${conflict} returning 1)
   select count(*)::int as n from ins`;

/** Every method of one engine: name -> run once, returning the rows it drew or inserted. */
async function methodsOf(db: Db): Promise<Record<string, () => Promise<number>>> {
  const start = await saltWindowStart(db, 'driftwatch');
  const wraps = start + 50_000 > 1_000_000;
  const strata = CLASSES.map((taskType) => ({ taskType, day: DAY, threshold: 50_000 }));
  const alloc = strata
    .map((s) => ({ ...s, source: 'routing' as const, reason: 'routing', volume: N / 7 }))
    .map((s) => ({ ...s, target: 0, rate: 0.05, boost: 1 }));
  const args = { after: 0, upTo: N, strata, start, runId: 'bench' };
  const drawParams = [0, N, CLASSES, strata.map((s) => s.day), strata.map((s) => s.threshold), start];
  const config = configSchema.parse({});
  const tx = <T>(fn: (q: Queryable) => Promise<T>) =>
    db.transaction(async (q) => {
      await q.query('set local jit = off');
      return fn(q);
    });
  const sum = (xs: { sampled: number }[]) => xs.reduce((n, x) => n + x.sampled, 0);
  const pick = (columns: string) =>
    stratumPickSql(STRATA_PARAMS_SQL, 'e.seq > $1 and e.seq <= $2', '$6::int', 'strata-index', wraps, columns);
  return {
    'runSample --rate 0.05, whole table (driftwatch)': async () =>
      (
        await runSample(
          { db, now: () => new Date('2026-11-27T00:00:00Z') },
          { sampler: config.sampler, cache: config.cache, rate: 0.05 },
        )
      ).sampled.routing,
    [BASELINE]: () => tx((q) => count(q, systemInsert('samples_copy', ''))),
    // into samples itself: its run check (a statement trigger since 013) and on conflict
    'TABLESAMPLE SYSTEM(5) insert into samples (run check, on conflict)': () =>
      tx((q) => count(q, systemInsert('samples', 'on conflict (source, event_id) do nothing'))),
    [SELECT_BASELINE]: () =>
      tx((q) =>
        count(q, `select count(*)::int as n from (select id, ts from routing_events tablesample system (5)) s`),
      ),
    [DRAW_ONLY]: () => tx((q) => count(q, `select count(*)::int as n from (${pick(DRAWN_COLUMNS)}) s`, drawParams)),
    'volumes, before issue 15 (day recomputed per row)': () => tx(async (q) => (await previousVolumes(q, 0, N)).length),
    'volumes, before 013 (pass over the new rows, stored utc_day)': () =>
      tx(async (q) => (await scanVolumes(q, 0, N)).length),
    'volumes, now (routing_event_counts)': () => tx(async (q) => (await routingVolumes(q, 0, N)).length),
    'insert, before issue 15 (join through text primary key)': () =>
      tx(async (q) => sum(await runPreviousDraw(q, primaryKeyJoinDrawSql('strata-index', wraps), args))),
    'insert, before 013 (heap columns, on conflict per row)': () =>
      tx(async (q) => sum(await runPreviousDraw(q, heapRowsDrawSql('strata-index', wraps), args))),
    'insert, now (index columns, not exists)': () =>
      tx(async (q) => sum(await drawRouting(q, 0, N, alloc, start, 'bench', 'strata-index'))),
  };
}

/** The methods SAMPLE_BENCH_METHODS names (substrings), and the two baselines. */
function chosen(methods: Record<string, () => Promise<number>>): Record<string, () => Promise<number>> {
  const only = process.env.SAMPLE_BENCH_METHODS?.split('|');
  if (!only) return methods;
  return Object.fromEntries(
    Object.entries(methods).filter(([n]) => n === BASELINE || n === SELECT_BASELINE || only.some((o) => n.includes(o))),
  );
}

async function benchEngine(engine: string, db: Db): Promise<string[]> {
  await fill(db);
  const methods = chosen(await methodsOf(db));
  const res = new Map<string, { ms: number; rows: number }[]>();
  const loads: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, fn] of Object.entries(methods)) {
      // the two selects take ~0.1 s: repeated, so their ratio is not one noisy sample a round
      for (let k = 0; k < (CHEAP.has(name) ? CHEAP_REPEATS : 1); k++) {
        await reset(db);
        const t = performance.now();
        const rows = await fn();
        res.set(name, [...(res.get(name) ?? []), { ms: performance.now() - t, rows }]);
      }
    }
    loads.push(
      os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join('/'),
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const msOf = (name: string) => res.get(name)!.map((r) => r.ms);
  const sysIns = med(msOf(BASELINE));
  const sysSel = med(msOf(SELECT_BASELINE));
  // per round: this method's time per row over the SYSTEM insert's time per row in the same round
  // (TABLESAMPLE SYSTEM draws whole pages, so its row count varies a few percent between rounds)
  const perRow = (name: string) => {
    const own = res.get(name)!;
    const base = res.get(BASELINE)!;
    const k = own.length / ROUNDS;
    return Array.from({ length: ROUNDS }, (_, i) => {
      const o = own.slice(i * k, (i + 1) * k);
      const ms = med(o.map((r) => r.ms / Math.max(r.rows, 1)));
      return ms / (base[i]!.ms / base[i]!.rows);
    });
  };
  const rows = [...res].map(([name, rs]) => {
    const ms = rs.map((r) => r.ms);
    const pr = perRow(name);
    return `| ${engine} | ${name} | ${rs[0]!.rows} | ${med(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}-${Math.max(...ms).toFixed(0)}) | ${(med(ms) / sysIns).toFixed(2)}x | ${med(pr).toFixed(2)}x (${Math.min(...pr).toFixed(2)}-${Math.max(...pr).toFixed(2)}) | ${(med(ms) / sysSel).toFixed(2)}x |`;
  });
  return [...rows, `| ${engine} | _load average (1/5/15 min) after each round_ | | ${loads.join('; ')} | | | |`];
}

export async function runSampleInsertBench(): Promise<string> {
  const engines: [string, () => Promise<Db>][] = [['pglite', createTestPglite]];
  if (TEST_PG_URL) engines.push(['postgres', createTestPg]);
  if (process.env.SAMPLE_BENCH_ENGINES)
    engines.splice(0, engines.length, ...engines.filter(([e]) => process.env.SAMPLE_BENCH_ENGINES!.includes(e)));
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
    `## sample --rate 0.05 on ${N.toLocaleString('en-US')} events: runSample beside TABLESAMPLE SYSTEM(5) inserting as many rows (median of ${ROUNDS}, the two selects of ${ROUNDS * CHEAP_REPEATS}; min-max)`,
    '',
    '| engine | method | rows | ms, median (min-max) | vs SYSTEM insert | per row vs SYSTEM insert, same round: median (min-max) | vs SYSTEM select |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...lines,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await runSampleInsertBench());

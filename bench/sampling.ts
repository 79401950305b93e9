/**
 * Sampling 5% of 2,000,000 routing events: driftwatch's sample-key draw (deterministic, incremental,
 * stratified; an index range per stratum) against ORDER BY random() and TABLESAMPLE SYSTEM / BERNOULLI, on PGlite and on
 * PostgreSQL (DRIFTWATCH_TEST_PG_URL) side by side. Reports medians and ratios to TABLESAMPLE SYSTEM.
 * Run: npx tsx bench/sampling.ts   (about 2-4 minutes; run it once, the machine is shared)
 */
import { pathToFileURL } from 'node:url';
import { configSchema } from '../src/config/config-schema.js';
import type { Db } from '../src/db/db.js';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../test/support/test-db.js';
import { runSample } from '../src/sampler/run-sample.js';
import type { StratumAllocation } from '../src/sampler/allocate-sample.js';
import { chooseDrawPlan, saltWindowStart, stratumPickSql, type DrawPlan } from '../src/sampler/stratum-pick.js';

/** One method's timing on one engine. */
export interface BenchRow {
  engine: 'pglite' | 'postgres';
  method: string;
  rows: number;
  medianMs: number;
  /** medianMs / TABLESAMPLE SYSTEM's medianMs on the same engine. */
  vsSystem: number;
}

const N = 2_000_000;
const SALT = 'driftwatch';
/** The draw the sampler runs (sampler-queries.ts), with either of its two plans. */
function draw(start: number, plan: DrawPlan, where = 'e.seq > 0'): string {
  const strata = `select * from unnest(array['class_0','class_1','class_2','class_3','class_4','class_5','class_6'], array_fill('2026-11-25'::date, array[7]), array_fill(50000, array[7])) as a(task_type, day, threshold)`;
  return stratumPickSql(strata, where, String(start), plan, start + 50_000 > 1_000_000);
}

/** 5% of 2M over seven strata of one day: which plan runSample's chooseDrawPlan takes for a range of `newRows`. */
const chosen = (newRows: number) =>
  chooseDrawPlan(
    Array.from({ length: 7 }, () => ({ threshold: 50_000, volume: N / 7 }) as StratumAllocation),
    newRows,
  );

function methods(start: number): Record<string, string> {
  const incremental = `e.seq > ${N - N / 20}`;
  const mark = (plan: DrawPlan, newRows: number) => (chosen(newRows) === plan ? ' (chosen)' : '');
  return {
    [`draw, strata-index plan, whole table (driftwatch)${mark('strata-index', N)}`]: draw(start, 'strata-index'),
    'TABLESAMPLE SYSTEM(5)': `select id from routing_events tablesample system (5)`,
    'TABLESAMPLE BERNOULLI(5)': `select id from routing_events tablesample bernoulli (5)`,
    'ORDER BY random() LIMIT 5%': `select id from routing_events order by random() limit ${N / 20}`,
    [`draw, range-pass plan, whole table${mark('range-pass', N)}`]: draw(start, 'range-pass'),
    // the rule before migration 006: hash every row of the range (a full scan)
    'tried: hashtext(salt || id) on every row (before 006)': `select id from routing_events where seq > 0 and (hashtext('${SALT}' || id) & 2147483647) % 1000000 < 50000`,
    // a nightly run reads only the newest rows; here the newest 5% joins a day that holds the other 95%
    [`incremental (newest 100k), range-pass plan${mark('range-pass', N / 20)}`]: draw(start, 'range-pass', incremental),
    [`incremental (newest 100k), strata-index plan${mark('strata-index', N / 20)}`]: draw(
      start,
      'strata-index',
      incremental,
    ),
    'TABLESAMPLE SYSTEM(5) where seq > watermark (not incremental)': `select id from routing_events tablesample system (5) where seq > ${N - N / 20}`,
    // the per-stratum volumes a run counts before it draws (over the new rows; here the whole table)
    'stratum volumes, whole table (count by class and day)': `select task_type, utc_day, count(*) from routing_events where seq > 0 group by 1, 2`,
  };
}

async function fill(db: Db): Promise<number> {
  const t = performance.now();
  await db.query(
    `insert into routing_events (id, ts, task_type, model, response, reference)
     select 'evt-' || g, timestamptz '2026-11-25 00:00:00+00' + (g % 86400) * interval '1 second', 'class_' || (g % 7), 'gpt-4o-mini', 'answer ' || g, 'answer ' || g
     from generate_series(1, ${N}) as g`,
  );
  await db.exec('vacuum analyze routing_events');
  return performance.now() - t;
}

async function time(db: Db, sql: string, reps: number): Promise<{ ms: number; rows: number }> {
  const runs: number[] = [];
  let rows = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    // JIT off as in runSample: compiling these one-off scans costs more than it saves
    const r = await db.transaction(async (tx) => {
      await tx.query('set local jit = off');
      return tx.query<{ n: number }>(`select count(*)::int as n from (${sql}) as s`);
    });
    runs.push(performance.now() - t);
    rows = r.rows[0].n;
  }
  runs.sort((a, b) => a - b);
  return { ms: runs[Math.floor(runs.length / 2)], rows };
}

async function benchEngine(engine: BenchRow['engine'], db: Db, log: (m: string) => void): Promise<BenchRow[]> {
  log(`${engine}: loading ${N} rows ... ${(await fill(db)).toFixed(0)} ms`);
  const out: Omit<BenchRow, 'vsSystem'>[] = [];
  const start = await saltWindowStart(db, SALT);
  for (const [method, sql] of Object.entries(methods(start))) {
    const r = await time(db, sql, 9); // medians of 9: the fast draws are tens of ms on a shared machine
    out.push({ engine, method, rows: r.rows, medianMs: r.ms });
    log(`${engine}: ${method}: ${r.rows} rows, ${r.ms.toFixed(0)} ms`);
  }
  out.push(...(await productRuns(engine, db)));
  const system = out.find((r) => r.method.startsWith('TABLESAMPLE SYSTEM'))!.medianMs;
  return out.map((r) => ({ ...r, vsSystem: r.medianMs / system }));
}

/** The real runSample path, once each: flat 5% over the whole table, a rerun, sqrt(V) over the table, one new day. */
async function productRuns(engine: BenchRow['engine'], db: Db): Promise<Omit<BenchRow, 'vsSystem'>[]> {
  const config = configSchema.parse({});
  const deps = { db, now: () => new Date('2026-11-27T00:00:00Z') };
  const timed = async (method: string, rate?: number) => {
    const t = performance.now();
    const r = await runSample(deps, { sampler: config.sampler, cache: config.cache, rate });
    return { engine, method, rows: r.sampled.routing, medianMs: performance.now() - t };
  };
  const reset = () => db.exec(`delete from samples; delete from driftwatch_state`);
  const out = [await timed('runSample --rate 0.05, whole table (draw + insert into samples, once)', 0.05)];
  out.push(await timed('runSample rerun, no new events (once)', 0.05));
  await reset();
  out.push(await timed('runSample sqrt(V) allocation, whole table (once)'));
  await db.query(
    `insert into routing_events (id, ts, task_type, model, response, reference)
     select 'new-' || g, timestamptz '2026-11-26 00:00:00+00' + (g % 86400) * interval '1 second', 'class_' || (g % 7), 'gpt-4o-mini', 'a' || g, 'a' || g
     from generate_series(1, ${N / 20}) as g`,
  );
  out.push(await timed('runSample sqrt(V), one new day of 100k after the watermark (once)'));
  return out;
}

/** Runs the bench on PGlite and (when configured) PostgreSQL; returns every row and logs a table. */
export async function runSamplingBench(log: (m: string) => void = (m) => console.error(m)): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const engines: [BenchRow['engine'], () => Promise<Db>][] = [['pglite', createTestPglite]];
  if (TEST_PG_URL) engines.push(['postgres', createTestPg]);
  for (const [engine, create] of engines) {
    const db = await create();
    try {
      rows.push(...(await benchEngine(engine, db, log)));
    } finally {
      await db.close();
    }
  }
  return rows;
}

/** Markdown table of bench rows. */
export function renderSamplingBench(rows: BenchRow[]): string {
  const lines = rows.map(
    (r) => `| ${r.engine} | ${r.method} | ${r.rows} | ${r.medianMs.toFixed(0)} | ${r.vsSystem.toFixed(2)}x |`,
  );
  return ['| engine | method | rows | median ms | vs SYSTEM |', '| --- | --- | --- | --- | --- |', ...lines].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runSamplingBench();
  console.log(renderSamplingBench(rows));
}

// The nightly statements changed by issue 15, at 1x / 4x / 16x history with the same new day, on PGlite
// and PostgreSQL: each previous statement beside its replacement (interleaved, median of R, min-max),
// and the plan of each new statement at 16x checked for a sequential scan over a history table.
// This measures the statements, not a whole nightly run (see RESULTS.md for what that leaves out).
// Run: npx tsx bench/nightly-history.ts   (NIGHTLY_BENCH_DAY=3000 events a day, 7 days at 1x; NIGHTLY_BENCH_ROUNDS=5)
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadHitVolumes, loadLookupPopulation } from '../src/cache/judged-lookups.js';
import type { Db } from '../src/db/db.js';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../test/support/test-db.js';
import { JUDGED_VOLUMES_SQL, loadJudgedVolumes } from '../src/escalator/escalator-queries.js';
import { loadCacheReport, loadFailedSamples } from '../src/nightly/report-queries.js';

const PER_DAY = Number(process.env.NIGHTLY_BENCH_DAY ?? 3000);
const ROUNDS = Number(process.env.NIGHTLY_BENCH_ROUNDS ?? 5);
const LAST_DAY = '2026-11-30';

const OLD_JUDGED_VOLUMES = `with base as (
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
const OLD_POPULATION = `select coalesce(task_type, 'default') as task_type, floor(similarity * 1000 + 1e-9) / 1000 as s, count(*)::text as n
       from cache_lookups where ($1::text is null or coalesce(task_type, 'default') = $1) group by 1, 2`;
const OLD_HITS = `select coalesce(task_type, 'default') as task_type, count(*)::text as n
       from cache_lookups where hit and ($1::text is null or coalesce(task_type, 'default') = $1) group by 1`;

/** History of `days` days before LAST_DAY plus the same new day; 5% of events sampled and judged. */
async function fill(db: Db, days: number): Promise<void> {
  const total = PER_DAY * (days + 1);
  await db.exec(`insert into runs (id, kind) values ('r-old', 'nightly'), ('r-new', 'nightly')`);
  await db.query(
    `insert into routing_events (id, ts, task_type, model, response, reference)
     select 'evt-' || g, timestamptz '${LAST_DAY} 00:00:00+00' - ((${days} - (g - 1) / ${PER_DAY}) * interval '1 day') + ((g % 86400) * interval '1 second'),
            'class_' || (g % 7), 'gpt-4o-mini', 'a ' || g, 'a ' || g
       from generate_series(1, ${total}) as g`,
  );
  await db.exec(`insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob, status)
                 select 'routing', id, task_type, 'routing', ts, case when utc_day = '${LAST_DAY}' then 'r-new' else 'r-old' end, 0.05, 'judged' from routing_events where seq % 20 = 0`);
  await db.exec(`insert into judgments (sample_id, verdict, provider, method, run_id)
                 select id, case when id % 30 = 0 then 'fail' else 'pass' end, 'offline', 'token-f1', run_id from samples`);
  await db.exec(`insert into stratum_rates (source, reason, task_type, day, expected_volume, basis, base_rate)
                 select distinct 'routing', 'routing', task_type, utc_day, ${PER_DAY / 7}, 'trailing-mean', 0.05 from routing_events`);
  await db.query(
    `insert into cache_lookups (id, ts, task_type, query, hit, similarity)
     select 'l-' || g, timestamptz '${LAST_DAY} 00:00:00+00' - ((${days} - (g - 1) / ${PER_DAY}) * interval '1 day') + ((g % 86400) * interval '1 second'),
            'class_' || (g % 5), 'q', g % 3 <> 0, ((g::bigint * 7919) % 100000) / 100000.0
       from generate_series(1, ${total}) as g`,
  );
  await db.exec('vacuum analyze');
}

async function once(fn: () => Promise<unknown>): Promise<number[]> {
  const t = performance.now();
  await fn();
  return [performance.now() - t];
}

/** Every statement's plan text; a Seq Scan on a history table is a fail. */
async function seqScans(db: Db, sql: string, params: unknown[]): Promise<string[]> {
  const r = await db.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params);
  return r.rows
    .map((x) => x['QUERY PLAN'])
    .filter((l) => /Seq Scan on (routing_events|samples|judgments|cache_lookups)\b/.test(l))
    .map((l) => l.trim());
}

export async function runNightlyHistoryBench(): Promise<string> {
  const engines: [string, () => Promise<Db>][] = [['pglite', createTestPglite]];
  if (TEST_PG_URL) engines.push(['postgres', createTestPg]);
  const lines: string[] = [];
  const plans: string[] = [];
  for (const [engine, create] of engines) {
    const byScale = new Map<string, Map<number, number[]>>();
    for (const scale of [1, 4, 16]) {
      const db = await create();
      try {
        await fill(db, 7 * scale);
        const methods: Record<string, () => Promise<unknown>> = {
          'judged volumes, before (all judgments x samples x events)': () => db.query(OLD_JUDGED_VOLUMES),
          'judged volumes, after (samples_task window)': () => loadJudgedVolumes(db),
          'lookup population, before (group every lookup)': () => db.query(OLD_POPULATION, [null]),
          'lookup population, after (bucket summary)': () => loadLookupPopulation(db),
          'hit volumes, before': () => db.query(OLD_HITS, [null]),
          'hit volumes, after (bucket summary)': () => loadHitVolumes(db),
          'report: failed samples of the run, before (no judgments.run_id index)': () =>
            db
              .transaction(async (tx) => {
                await tx.exec('drop index judgments_run');
                await loadFailedSamples(tx, 'r-new', 5);
                throw new RollBack();
              })
              .catch((e) => {
                if (!(e instanceof RollBack)) throw e;
              }),
          'report: failed samples of the run, after (judgments_run index)': () => loadFailedSamples(db, 'r-new', 5),
          'report: cache report of the run, after': () => loadCacheReport(db, 'r-new'),
        };
        for (let i = 0; i < ROUNDS; i++) {
          for (const [name, fn] of Object.entries(methods)) {
            const m = byScale.get(name) ?? new Map<number, number[]>();
            m.set(scale, [...(m.get(scale) ?? []), ...(await once(fn))]);
            byScale.set(name, m);
          }
        }
        if (scale === 16) {
          const found = [
            ['loadJudgedVolumes (new)', await seqScans(db, JUDGED_VOLUMES_SQL, [])],
            ['loadJudgedVolumes (before)', await seqScans(db, OLD_JUDGED_VOLUMES, [])],
            ['loadLookupPopulation (before)', await seqScans(db, OLD_POPULATION, [null])],
          ] as const;
          for (const [name, scans] of found)
            plans.push(
              `| ${engine} | ${name} | ${scans.length ? scans.join('; ') : 'no sequential scan of routing_events, samples, judgments or cache_lookups'} |`,
            );
        }
      } finally {
        await db.close();
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const f = (xs: number[]) => `${med(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;
    for (const [name, m] of byScale) {
      const [a, b, c] = [m.get(1)!, m.get(4)!, m.get(16)!];
      lines.push(`| ${engine} | ${name} | ${f(a)} | ${f(b)} | ${f(c)} | ${(med(c) / med(a)).toFixed(2)}x |`);
    }
    lines.push(
      `| ${engine} | _load average 1/5/15 at the end_ | ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')} | | | |`,
    );
  }
  return [
    `## Nightly statements at 1x / 4x / 16x history (${(PER_DAY * 7).toLocaleString('en-US')} / ${(PER_DAY * 28).toLocaleString('en-US')} / ${(PER_DAY * 112).toLocaleString('en-US')} old events and as many cache lookups, the same new day of ${PER_DAY.toLocaleString('en-US')}), ms, median of ${ROUNDS} (min-max)`,
    '',
    '| engine | statement | 1x | 4x | 16x | 16x / 1x |',
    '|---|---|---:|---:|---:|---:|',
    ...lines,
    '',
    'Plans at 16x (EXPLAIN):',
    '',
    '| engine | statement | sequential scans of history tables |',
    '|---|---|---|',
    ...plans,
    '',
  ].join('\n');
}

class RollBack extends Error {}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await runNightlyHistoryBench());

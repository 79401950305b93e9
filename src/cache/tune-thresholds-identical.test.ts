import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { analyseFalseHits, START_SAMPLES, type ThresholdAnalysis } from './false-hit-curve.js';
import { type ClassedJudgedLookup, loadHitVolumes, loadLookupPopulation } from './judged-lookups.js';
import { poolFalseHits } from './pool-false-hits.js';
import { tuneCacheThresholds, type ThresholdTuning } from './tune-thresholds.js';

// The cache tuner before issue 15, verbatim: every judged cache verdict shipped to JS in draw order
// (loadJudgedLookups) and the start samples ranked over every cache sample. The SQL cells and hit
// runs of tuneCacheThresholds must give exactly the same analysis, to the last bit.
const OLD_JUDGED = `select s.task_type, s.reason, c.similarity, j.verdict, s.inclusion_prob
       from samples s join judgments j on j.sample_id = s.id join cache_lookups c on c.id = s.event_id
      where s.source = 'cache' and ($1::text is null or s.task_type = $1)
      order by s.id`;
const OLD_STARTS = `select task_type, similarity from (
       select s.task_type, c.similarity, s.id, row_number() over (partition by s.task_type order by s.id) as rn
         from samples s join cache_lookups c on c.id = s.event_id
        where s.source = 'cache' and ($1::text is null or s.task_type = $1)) x
      where rn <= $2 order by task_type, id`;

async function oldTune(db: Db, o: { target: number; taskType?: string; grid?: number[] }): Promise<ThresholdTuning> {
  const rows = await db.query<Record<string, never>>(OLD_JUDGED, [o.taskType ?? null]);
  const judged: ClassedJudgedLookup[] = rows.rows.map((x: Record<string, unknown>) => ({
    taskType: x.task_type as string,
    reason: x.reason as string,
    similarity: Number(x.similarity),
    falseHit: x.verdict === 'fail',
    inclusionProb: x.inclusion_prob === null ? null : Number(x.inclusion_prob),
  }));
  const population = await loadLookupPopulation(db, o.taskType);
  const starts = new Map<string, number[]>();
  for (const x of (
    await db.query<{ task_type: string; similarity: number }>(OLD_STARTS, [o.taskType ?? null, START_SAMPLES])
  ).rows)
    starts.set(x.task_type, [...(starts.get(x.task_type) ?? []), Number(x.similarity)]);
  const classes = [...new Set([...judged.map((j) => j.taskType), ...population.keys()])].sort();
  const perClass: Record<string, ThresholdAnalysis> = {};
  for (const c of classes)
    perClass[c] = analyseFalseHits(
      judged.filter((j) => j.taskType === c),
      { target: o.target, grid: o.grid, population: population.get(c) ?? [], sampledSimilarities: starts.get(c) ?? [] },
    );
  const pooled = poolFalseHits(judged, await loadHitVolumes(db, o.taskType));
  const only = o.taskType ?? (classes.length === 1 ? classes[0] : undefined);
  const fresh = await tuneCacheThresholds(db, o); // the all-classes placeholder is not under test here
  const analysis =
    only !== undefined ? (perClass[only] ?? analyseFalseHits([], { target: o.target, grid: o.grid })) : fresh.analysis;
  if (only === undefined) expect(fresh.analysis.judged).toBe(judged.length);
  return { scope: only ?? 'all classes', analysis, perClass, pooled };
}

// Three classes (one under START_SAMPLES cache samples), similarities on, just below and just above
// grid thresholds and below the grid (a NaN similarity cannot be stored: migration 012's bucket trigger refuses it), inclusion probabilities in runs and interleaved
// (null = 1 and a stored 1 are one group), unjudged samples, samples whose lookup is gone, draw
// order unlike the lookups' order.
const FILL = [
  `insert into cache_lookups (id, ts, task_type, query, hit, similarity)
   select 'l-' || g, timestamptz '2026-11-01' + g * interval '1 minute', (array['faq', 'code', 'chat'])[g % 3 + 1], 'q', g % 4 <> 0,
          case when g % 13 = 0 then round((0.5 + (g % 100) * 0.005)::numeric, 3)::float8 + (g % 3 - 1) * 1e-12
               when g % 17 = 0 then ((g * 31) % 500) / 1000.0
               else 0.4 + ((g::bigint * 7919) % 100000) / 100000.0 * 0.6 end
     from generate_series(1, 6000) g`,
  `insert into samples (source, event_id, task_type, reason, event_ts, inclusion_prob)
   select 'cache', case when g % 211 = 0 then 'missing-' || g else 'l-' || g end, (array['faq', 'code', 'chat'])[g % 3 + 1],
          case when g % 4 <> 0 then 'hit' else 'near_miss' end, timestamptz '2026-11-01' + g * interval '1 minute',
          case when (g / 40) % 6 = 0 then null when (g / 40) % 6 = 1 then 1 when (g / 40) % 6 = 2 then 0.05
               when g % 2 = 0 then 1 / 3.0 else 0.07 end
     from generate_series(1, 6000) g where g % 3 <> 2 or g % 10 = 0 order by (g * 7) % 6001`,
  `insert into judgments (sample_id, verdict, provider, method)
   select s.id, case when s.task_type = 'code' and s.id % 9 = 0 then 'fail'
                     when c.similarity < 0.8 and s.id % 5 = 0 then 'fail' when s.id % 701 = 0 then 'fail' else 'pass' end,
          'offline', 'token-f1'
     from samples s left join cache_lookups c on c.id = s.event_id where s.id % 8 <> 3`,
];

describe.each(testDbAdapters.filter((a) => a.enabled))('tuneCacheThresholds, old and new, on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    for (const sql of FILL) await db.query(sql);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives the same per-class analyses, curves, recommendations and pooled estimate', async () => {
    let certified = 0;
    for (const target of [0.01, 0.05, 0.2])
      for (const taskType of [undefined, 'faq', 'code', 'chat', 'nope']) {
        const fresh = await tuneCacheThresholds(db, { target, taskType });
        expect(fresh, `target ${target}, class ${taskType}`).toEqual(await oldTune(db, { target, taskType }));
        certified += Object.values(fresh.perClass).filter((a) => a.recommended).length;
      }
    expect(certified).toBeGreaterThan(0);
    const grid = [0.9, 0.6, 0.75, 0.95, 0.505];
    expect(await tuneCacheThresholds(db, { target: 0.05, grid })).toEqual(await oldTune(db, { target: 0.05, grid }));
  });

  // The summary (migration 014) covers the samples up to covered_id; each step changes the verdicts
  // the way a night, a late judge or an external verdict does, and the figures must stay the old ones.
  it('stays identical through new nights, samples left pending and judged later, and verdicts overridden or removed', async () => {
    const same = async (why: string) => {
      for (const taskType of [undefined, 'faq'])
        expect(await tuneCacheThresholds(db, { target: 0.05, taskType }), why).toEqual(
          await oldTune(db, { target: 0.05, taskType }),
        );
    };
    const night = async (from: number, judgeAll: boolean) => {
      await db.query(FILL[0]!.replace('generate_series(1, 6000)', `generate_series(${from}, ${from + 900})`));
      await db.query(FILL[1]!.replace('generate_series(1, 6000)', `generate_series(${from}, ${from + 900})`));
      await db.query(
        `${FILL[2]} and not exists (select 1 from judgments x where x.sample_id = s.id)${judgeAll ? '' : ' and s.id % 5 <> 0'}`,
      );
      await db.query(`update samples set status = 'judged' where id in (select sample_id from judgments)`);
    };
    // drawn over an hour ago: the classes with 500 cache samples get their start samples stored
    await db.query(`update samples set sampled_at = sampled_at - interval '2 hours'`);
    await same('start samples stored');
    const kept = await db.query<{ task_type: string }>('select task_type from cache_start_samples order by 1');
    expect(kept.rows.map((x) => x.task_type)).toEqual(['code', 'faq']);
    await night(7000, true);
    await same('a new night, every sample judged');
    await night(8000, false);
    await same('a night with samples left pending');
    await night(9000, true); // judges the pending ones of the night before too
    await same('the pending samples judged a night later');
    await db.query(
      `update samples set status = 'unjudgeable' where source = 'cache' and id not in (select sample_id from judgments)`,
    );
    await night(10000, true);
    await same('unjudgeable samples do not hold the summary back');
    await db.query(`insert into judgments (sample_id, verdict, provider, method)
                    select id, 'fail', 'external', 'external:x' from samples where status = 'unjudgeable' and id % 16 = 3`);
    await same('a late verdict for an unjudgeable sample the summary covers');
    const covered = async () =>
      (
        await db.query<{ stale: boolean; covered: string }>(
          'select stale, covered_id::text as covered from cache_verdict_summary',
        )
      ).rows[0]!;
    // past the samples of the first fill and of the nights before the last (ids, not event numbers)
    expect(Number((await covered()).covered)).toBeGreaterThan(5500);
    await db.query(
      `update judgments set verdict = case when verdict = 'fail' then 'pass' else 'fail' end where sample_id % 50 = 7`,
    );
    await same('verdicts overridden');
    await db.query('delete from judgments where sample_id % 97 = 3');
    await same('verdicts removed');
    expect((await covered()).stale).toBe(false);
  });
});

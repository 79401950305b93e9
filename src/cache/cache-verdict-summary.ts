import type { Db, Queryable } from '../db/db.js';
import type { JudgedCell } from './false-hit-curve.js';
import { aggregateJudgedCache, appendJudgedCache, type JudgedCacheCells } from './judged-cache-cells.js';
import { jsonColumn } from '../db/json-column.js';

type StoredCell = [bin: number, inclusionProb: number, falseHit: boolean, count: number, minSimilarity: number];
type StoredRun = [inclusionProb: number, falseHit: boolean, count: number];

/**
 * The judged cache verdicts on the default grid for the tuner, through the summary of migration 014:
 * the stored cells and hit runs of every cache sample up to its covered_id, plus the samples after
 * it aggregated now (through the primary key: the samples drawn since). The covered_id then moves
 * up to the last sample before the first one still waiting for a verdict, and the summary is stored
 * again. When a verdict of a covered sample was written or changed since (the trigger marks the
 * summary stale), everything is aggregated again. Identical to aggregating every sample at once.
 */
export async function loadSummarisedJudgedCache(db: Db, grid: number[], taskType?: string): Promise<JudgedCacheCells> {
  const all = await db.transaction(async (tx) => {
    const r = await tx.query<{ covered_id: string; stale: boolean; cells: unknown; hit_runs: unknown }>(
      'select covered_id::text, stale, cells, hit_runs from cache_verdict_summary where id = 1 for update',
    );
    const row = r.rows[0];
    if (!row) throw new Error('cache_verdict_summary has no row: run the migrations (014)');
    const stored = row.stale ? { cells: new Map(), hitRuns: new Map() } : parse(row.cells, row.hit_runs);
    const after = row.stale ? 0 : Number(row.covered_id);
    const upTo = await coverableUpTo(tx, after);
    const covered =
      upTo > after ? appendJudgedCache(stored, await aggregateJudgedCache(tx, grid, { after, upTo })) : stored;
    if (row.stale || upTo > after)
      await tx.query(
        'update cache_verdict_summary set covered_id = $1, stale = false, cells = $2, hit_runs = $3 where id = 1',
        [upTo, ...serialise(covered)],
      );
    return appendJudgedCache(covered, await aggregateJudgedCache(tx, grid, { after: upTo, upTo: null }));
  });
  if (taskType === undefined) return all;
  const only = <T>(m: Map<string, T>) => new Map([...m].filter(([k]) => k === taskType));
  return { cells: only(all.cells), hitRuns: only(all.hitRuns) };
}

/**
 * The highest cache sample id after `after` below which no cache sample still waits for the judge
 * (pending, claimed or failed: an unjudgeable one may get an external verdict later, which marks
 * the summary stale): `after` when none is newer.
 */
async function coverableUpTo(q: Queryable, after: number): Promise<number> {
  const r = await q.query<{ waiting: string | null; last: string | null }>(
    `select (select min(s.id) from samples s
              where s.id > $1 and s.source = 'cache' and s.status in ('pending', 'claimed', 'judge_error')
                and not exists (select 1 from judgments j where j.sample_id = s.id))::text as waiting,
            (select max(s.id) from samples s where s.id > $1 and s.source = 'cache')::text as last`,
    [after],
  );
  const { waiting, last } = r.rows[0]!;
  if (last === null) return after;
  return waiting === null ? Number(last) : Math.max(after, Number(waiting) - 1);
}

function parse(cells: unknown, runs: unknown): JudgedCacheCells {
  return {
    cells: new Map(
      Object.entries(jsonColumn<Record<string, StoredCell[]>>(cells)).map(([k, v]) => [
        k,
        v.map(
          ([bin, inclusionProb, falseHit, count, minSimilarity]): JudgedCell => ({
            bin,
            inclusionProb,
            falseHit,
            count,
            minSimilarity,
          }),
        ),
      ]),
    ),
    hitRuns: new Map(
      Object.entries(jsonColumn<Record<string, StoredRun[]>>(runs)).map(([k, v]) => [
        k,
        v.map(([inclusionProb, falseHit, count]) => ({ inclusionProb, falseHit, count })),
      ]),
    ),
  };
}

function serialise(c: JudgedCacheCells): [string, string] {
  const cells = Object.fromEntries(
    [...c.cells].map(([k, v]) => [
      k,
      v.map((x): StoredCell => [x.bin, x.inclusionProb ?? 1, x.falseHit, x.count, x.minSimilarity]),
    ]),
  );
  const runs = Object.fromEntries(
    [...c.hitRuns].map(([k, v]) => [k, v.map((x): StoredRun => [x.inclusionProb, x.falseHit, x.count])]),
  );
  return [JSON.stringify(cells), JSON.stringify(runs)];
}

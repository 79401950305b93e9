import type { Queryable } from '../db/db.js';
import type { JudgedCell } from './false-hit-curve.js';

/** A run of consecutive judged hits (in draw order) of one class with one inclusion probability and verdict. */
export interface JudgedHitRun {
  inclusionProb: number;
  falseHit: boolean;
  count: number;
}

/** A class's judged cache candidates as the certification and the pooled estimate read them. */
export interface JudgedCacheCells {
  /** Per class, its cells in the order of their first judged sample (what the curve needs). */
  cells: Map<string, JudgedCell[]>;
  /** Per class, its judged hits (reason 'hit') as runs in draw order (what the pooled weighted rate sums). */
  hitRuns: Map<string, JudgedHitRun[]>;
}

/**
 * The judged cache samples (a judgment, and the lookup they were drawn from) of class `task` (null:
 * all) with id in (`after`, `upTo`] (`upTo` null: no end), the samples after the summary's
 * covered_id through the primary key; the arguments are the statement's parameter placeholders.
 */
const judged = (task: string, after: string, upTo: string) => `select s.id, s.task_type, s.reason, c.similarity,
              j.verdict = 'fail' as false_hit, coalesce(s.inclusion_prob, 1) as pi
         from samples s join judgments j on j.sample_id = s.id join cache_lookups c on c.id = s.event_id
        where s.source = 'cache' and (${task}::text is null or s.task_type = ${task})
          and s.id > ${after} and (${upTo}::bigint is null or s.id <= ${upTo})`;

// $1 class, $2 grid, $3 after, $4 up to
const JUDGED_CELLS_SQL = `with judged as (${judged('$1', '$3', '$4')})
     select task_type, case when similarity = 'NaN' then 0 else width_bucket(similarity, $2::float8[]) end - 1 as bin,
            pi, false_hit, count(*)::int as n, min(similarity) as min_similarity
       from judged group by 1, 2, 3, 4 order by task_type, min(id)`;
// $1 class, $2 after, $3 up to
const JUDGED_HIT_RUNS_SQL = `with judged as (${judged('$1', '$2', '$3')}),
     hits as (select id, task_type, pi, false_hit,
                     row_number() over (partition by task_type order by id)
                     - row_number() over (partition by task_type, pi, false_hit order by id) as island
                from judged where reason = 'hit')
     select task_type, pi, false_hit, count(*)::int as n from hits
      group by task_type, pi, false_hit, island order by task_type, min(id)`;

/** Which judged cache samples to aggregate: ids in (after, upTo], upTo null = no end. */
export interface SampleIdRange {
  after: number;
  upTo: number | null;
}

/**
 * Judged cache samples (source = 'cache') aggregated in SQL, not shipped row by row: per class the
 * grid cells of (bin, inclusion probability, verdict) with their counts and lowest similarity, and
 * the judged hits as runs. `grid` is sorted ascending (the bins are width_bucket's, as binOf draws
 * them: [grid[i], grid[i+1])). Both keep the draw order the per-row analysis depended on, so the
 * figures are identical to adding every lookup; a false hit is a `fail` verdict on the matched answer.
 */
export async function aggregateJudgedCache(
  db: Queryable,
  grid: number[],
  range: SampleIdRange,
  taskType?: string,
): Promise<JudgedCacheCells> {
  const task = taskType ?? null;
  const c = await db.query<{
    task_type: string;
    bin: number;
    pi: number;
    false_hit: boolean;
    n: number;
    min_similarity: number;
  }>(JUDGED_CELLS_SQL, [task, grid, range.after, range.upTo]);
  const cells = new Map<string, JudgedCell[]>();
  for (const x of c.rows) {
    const list = cells.get(x.task_type) ?? [];
    list.push({
      bin: Number(x.bin),
      inclusionProb: Number(x.pi),
      falseHit: x.false_hit,
      count: x.n,
      minSimilarity: Number(x.min_similarity),
    });
    cells.set(x.task_type, list);
  }
  const h = await db.query<{ task_type: string; pi: number; false_hit: boolean; n: number }>(JUDGED_HIT_RUNS_SQL, [
    task,
    range.after,
    range.upTo,
  ]);
  const hitRuns = new Map<string, JudgedHitRun[]>();
  for (const x of h.rows) {
    const list = hitRuns.get(x.task_type) ?? [];
    list.push({ inclusionProb: Number(x.pi), falseHit: x.false_hit, count: x.n });
    hitRuns.set(x.task_type, list);
  }
  return { cells, hitRuns };
}

/**
 * Appends `later` (samples with higher ids) to `earlier`: a cell already there adds its count and
 * lowest similarity (it keeps its place: its first sample came first), a new one goes last; a hit
 * run continuing the last one extends it. The result is what aggregating both at once gives.
 */
export function appendJudgedCache(earlier: JudgedCacheCells, later: JudgedCacheCells): JudgedCacheCells {
  const cells = new Map([...earlier.cells].map(([k, v]) => [k, v.map((c) => ({ ...c }))]));
  for (const [taskType, add] of later.cells) {
    const list = cells.get(taskType) ?? [];
    const at = new Map(list.map((c) => [`${c.bin}|${c.inclusionProb}|${c.falseHit}`, c]));
    for (const c of add) {
      const same = at.get(`${c.bin}|${c.inclusionProb}|${c.falseHit}`);
      if (same) {
        same.count += c.count;
        same.minSimilarity = Math.min(same.minSimilarity, c.minSimilarity);
      } else list.push({ ...c });
    }
    cells.set(taskType, list);
  }
  const hitRuns = new Map([...earlier.hitRuns].map(([k, v]) => [k, v.map((r) => ({ ...r }))]));
  for (const [taskType, add] of later.hitRuns) {
    const list = hitRuns.get(taskType) ?? [];
    for (const r of add) {
      const last = list[list.length - 1];
      if (last && last.inclusionProb === r.inclusionProb && last.falseHit === r.falseHit) last.count += r.count;
      else list.push({ ...r });
    }
    hitRuns.set(taskType, list);
  }
  return { cells, hitRuns };
}

import type { Queryable } from '../db/db.js';
import type { CacheReport } from '../reports/report-summary.js';
import { clopperPearsonInterval } from '../stats/binomial-interval.js';

/** One failed sample for the report's examples. */
export interface FailedSampleRow {
  taskType: string;
  sampleId: number;
  eventId: string;
  prompt?: string;
  response: string;
  reference?: string;
  reason?: string;
}

/**
 * False hits among the cache hits judged in this run, with a 95% Clopper-Pearson interval of the
 * raw (unweighted) sample: it describes the run's sample, it certifies nothing (certification is
 * per class and weighted: cache/tune-thresholds). Undefined when no cache sample was judged.
 */
export async function loadCacheReport(db: Queryable, runId: string, target?: number): Promise<CacheReport | undefined> {
  const r = await db.query<{ hits: string | number; false_hits: string | number; near: string | number }>(
    `select count(*) filter (where s.reason = 'hit') as hits,
            count(*) filter (where s.reason = 'hit' and j.verdict = 'fail') as false_hits,
            count(*) filter (where s.reason = 'near_miss') as near
       from judgments j
       -- the run's verdicts through judgments_run, each sample by its primary key (a plain join lets
       -- the planner hash every sample of the history)
       cross join lateral (select s.reason from samples s where s.id = j.sample_id and s.source = 'cache' limit 1) s
      where j.run_id = $1`,
    [runId],
  );
  const hits = Number(r.rows[0].hits);
  const falseHits = Number(r.rows[0].false_hits);
  const nearMisses = Number(r.rows[0].near);
  if (hits === 0 && nearMisses === 0) return undefined;
  const est = clopperPearsonInterval(falseHits, hits);
  // lookups logged by driftwatch's own cache carry the embedder in their metadata; ingested ones may not
  const e = await db.query<{ embedder: string; kind: string | null; n: string | number }>(
    `select c.metadata->>'embedder' as embedder, c.metadata->>'embedderKind' as kind, count(*) as n
       from judgments j
       cross join lateral (select s.event_id from samples s where s.id = j.sample_id and s.source = 'cache' limit 1) s
       cross join lateral (select c.metadata from cache_lookups c where c.id = s.event_id limit 1) c
      where j.run_id = $1 and c.metadata->>'embedder' is not null
      group by 1, 2 order by 3 desc, 1`,
    [runId],
  );
  const embedders = e.rows.map((x) => ({ embedder: x.embedder, kind: x.kind, lookups: Number(x.n) }));
  return {
    sampledHits: hits,
    falseHits,
    falseHitRate: est.rate,
    lower: est.lower,
    upper: est.upper,
    nearMisses,
    target,
    ...(embedders.length ? { embedders } : {}),
  };
}

/** Up to `perClass` failed routing samples per class judged in this run, oldest sample first. */
export async function loadFailedSamples(db: Queryable, runId: string, perClass: number): Promise<FailedSampleRow[]> {
  const r = await db.query<{
    task_type: string;
    id: string | number;
    event_id: string;
    prompt: string | null;
    messages: unknown;
    response: string;
    reference: string | null;
    reason: string | null;
  }>(
    `select task_type, id, event_id, prompt, messages, response, reference, reason from (
       select s.task_type, s.id, s.event_id, e.prompt, e.messages, e.response, e.reference, j.reason,
              row_number() over (partition by s.task_type order by s.id) as rn
         from samples s join judgments j on j.sample_id = s.id join routing_events e on e.id = s.event_id
        where s.source = 'routing' and s.reason <> 'shadow' and j.run_id = $1 and j.verdict = 'fail') x
      where rn <= $2 order by task_type, id`,
    [runId, perClass],
  );
  return r.rows.map((row) => ({
    taskType: row.task_type,
    sampleId: Number(row.id),
    eventId: row.event_id,
    prompt: row.prompt ?? lastUserMessage(row.messages),
    response: row.response,
    reference: row.reference ?? undefined,
    reason: row.reason ?? undefined,
  }));
}

function lastUserMessage(messages: unknown): string | undefined {
  const list = typeof messages === 'string' ? (JSON.parse(messages) as unknown) : messages;
  if (!Array.isArray(list)) return undefined;
  const user = [...list]
    .reverse()
    .find((m) => m && typeof m === 'object' && (m as { role?: string }).role === 'user') as
    | { content?: unknown }
    | undefined;
  return typeof user?.content === 'string' ? user.content : user ? JSON.stringify(user.content) : undefined;
}

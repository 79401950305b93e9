import type { Db, Queryable } from '../db/db.js';

/** A claimed sample with the event text the judge needs. */
export interface ClaimedSample {
  id: number;
  source: 'routing' | 'cache';
  eventId: string;
  taskType: string;
  reason: string;
  /** The request: the prompt, the rendered messages, or the cache query. */
  input: string;
  /** The answer under judgment: the routed response or the cached result (null when none was recorded). */
  candidate: string | null;
  reference: string | null;
  /** The premium model's answer to the same request (routing events only): the other side of a pairwise judgment. */
  premium: string | null;
}

/** A verdict as stored in `judgments`. */
export interface VerdictRow {
  verdict: 'pass' | 'fail';
  provider: string;
  model: string | null;
  method: string;
  reason: string;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number;
}

/**
 * Claims up to `n` pending samples (or claims whose lease expired) with id > `afterId`, for `worker`.
 * FOR UPDATE SKIP LOCKED makes concurrent workers on PostgreSQL take disjoint rows.
 */
export async function claimSamples(
  db: Db,
  worker: string,
  n: number,
  leaseSeconds: number,
  afterId: number,
): Promise<number[]> {
  const r = await db.query<{ id: string }>(
    `update samples set status = 'claimed', claimed_by = $1, claimed_at = now()
     where id in (
       select id from samples
       -- a sample held by an open provider batch (claimed_by 'batch:<job>') is never a lapsed lease
       where (status = 'pending' or (status = 'claimed' and claimed_at < now() - make_interval(secs => $2) and claimed_by not like 'batch:%'))
         and status in ('pending', 'claimed') -- implied; lets the planner walk samples_open, not every sample
         and id > $3
       order by id limit $4 for update skip locked)
     returning id`,
    [worker, leaseSeconds, afterId, n],
  );
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
}

type Row = {
  id: string;
  source: 'routing' | 'cache';
  event_id: string;
  task_type: string;
  reason: string;
  prompt: string | null;
  messages: unknown;
  candidate: string | null;
  reference: string | null;
  premium: string | null;
};

/** Loads the event text of claimed samples (routing response or cache result, and the reference). */
export async function loadSamples(q: Queryable, ids: number[]): Promise<ClaimedSample[]> {
  const r = await q.query<Row>(
    `select s.id, s.source, s.event_id, s.task_type, s.reason,
            case when s.source = 'routing' then e.prompt else c.query end as prompt,
            e.messages,
            case when s.source = 'routing' then e.response else c.result end as candidate,
            case when s.source = 'routing' then e.reference else c.reference end as reference,
            e.premium_response as premium
     -- each sample by its primary key (on a small table the planner scanned all samples for ~300 ids)
     from (select distinct id from unnest($1::bigint[]) as u(id)) i
     cross join lateral (select * from samples s where s.id = i.id limit 1) s
     left join routing_events e on s.source = 'routing' and e.id = s.event_id
     left join cache_lookups c on s.source = 'cache' and c.id = s.event_id
     order by s.id`,
    [ids],
  );
  return r.rows.map((x) => ({
    id: Number(x.id),
    source: x.source,
    eventId: x.event_id,
    taskType: x.task_type,
    reason: x.reason,
    input: x.prompt ?? renderMessages(x.messages),
    candidate: x.candidate,
    reference: x.reference,
    premium: x.premium,
  }));
}

function renderMessages(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  return messages
    .map(
      (m: { role?: unknown; content?: unknown }) =>
        `${String(m.role ?? 'user')}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`,
    )
    .join('\n');
}

/**
 * Stores verdicts once each (primary key on sample_id) and marks their samples judged, in one
 * statement; returns how many this call stored (the rest were already judged by another worker).
 */
export async function writeVerdicts(
  q: Queryable,
  rows: { sampleId: number; v: VerdictRow }[],
  runId: string,
): Promise<number> {
  return (await writeVerdictIds(q, rows, runId)).length;
}

/** writeVerdicts, returning the ids of the samples this call stored a verdict for. */
export async function writeVerdictIds(
  q: Queryable,
  rows: { sampleId: number; v: VerdictRow }[],
  runId: string,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof VerdictRow>(k: K) => rows.map((r) => r.v[k]);
  const r = await q.query<{ ids: string[] | null }>(
    `with v as (select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::float8[])
                  as v(sample_id, verdict, provider, model, method, reason, input_tokens, output_tokens, cost_usd)),
     ins as (insert into judgments (sample_id, verdict, provider, model, method, reason, input_tokens, output_tokens, cost_usd, run_id)
             select sample_id, verdict, provider, model, method, reason, input_tokens, output_tokens, cost_usd, $10 from v
             on conflict (sample_id) do nothing returning sample_id),
     upd as (update samples set status = 'judged' where id = any($1::bigint[]) returning id)
     select (select array_agg(sample_id) from ins) as ids, (select count(*) from upd) as m`,
    [
      rows.map((r) => r.sampleId),
      col('verdict'),
      col('provider'),
      col('model'),
      col('method'),
      col('reason'),
      col('inputTokens'),
      col('outputTokens'),
      col('costUsd'),
      runId,
    ],
  );
  return (r.rows[0].ids ?? []).map(Number);
}

/** Marks samples unjudgeable (no reference, no answer, comparator not applicable), with why: claimed ones (real time) or pending ones (batch, which claims only what it sends). */
export async function markUnjudgeable(q: Queryable, rows: { sampleId: number; reason: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `update samples s set status = 'unjudgeable', unjudgeable_reason = u.reason
     from unnest($1::bigint[], $2::text[]) as u(id, reason) where s.id = u.id and s.status in ('claimed', 'pending')`,
    [rows.map((r) => r.sampleId), rows.map((r) => r.reason)],
  );
}

/** Returns this worker's claims to the queue (retryable error, budget stop, shutdown). */
export async function releaseClaims(db: Queryable, worker: string, ids?: number[]): Promise<void> {
  if (ids && ids.length === 0) return;
  await db.query(
    `update samples set status = 'pending', claimed_by = null, claimed_at = null
     where status = 'claimed' and claimed_by = $1 and ($2::bigint[] is null or id = any($2::bigint[]))`,
    [worker, ids ?? null],
  );
}

/** Samples still waiting for a verdict (pending, or claimed by a live or dead worker). */
export async function countPending(q: Queryable): Promise<number> {
  const r = await q.query<{ n: number }>(
    `select count(*)::int as n from samples where status in ('pending', 'claimed')`,
  );
  return r.rows[0].n;
}

/** Marks samples whose judge replies were unreadable twice as judge_error, with the (redacted) start of the reply. */
export async function markJudgeErrors(q: Queryable, rows: { sampleId: number; error: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `update samples s set status = 'judge_error', judge_error = u.error, claimed_by = null, claimed_at = null
     from unnest($1::bigint[], $2::text[]) as u(id, error) where s.id = u.id and s.status in ('claimed', 'pending')`,
    [rows.map((r) => r.sampleId), rows.map((r) => r.error)],
  );
}

/** `--retry-errors`: returns every judge_error sample to pending; how many. */
export async function resetJudgeErrors(q: Queryable): Promise<number> {
  const r = await q.query(`update samples set status = 'pending', judge_error = null where status = 'judge_error'`);
  return r.rowCount;
}

/** Renews the lease of this worker's claims (its heartbeat), so a live worker's samples are never taken over. */
export async function renewClaims(q: Queryable, worker: string): Promise<void> {
  await q.query(`update samples set claimed_at = now() where status = 'claimed' and claimed_by = $1`, [worker]);
}

/** Which of `sampleIds` have a verdict stored by run `runId` (a retried write whose first try committed). */
export async function verdictsOfRun(q: Queryable, sampleIds: number[], runId: string): Promise<number[]> {
  const r = await q.query<{ sample_id: string }>(
    `select sample_id from judgments where sample_id = any($1::bigint[]) and run_id = $2`,
    [sampleIds, runId],
  );
  return r.rows.map((x) => Number(x.sample_id));
}

import type { Queryable } from '../../db/db.js';

/** A pending sample with the text the reference judge needs. */
export interface SampleToJudge {
  sampleId: number;
  source: 'routing' | 'cache';
  eventId: string;
  taskType: string;
  /** The prompt (routing) or the lookup query (cache). */
  prompt: string | null;
  /** The routed response, or the cached result served for the lookup. */
  response: string | null;
  reference: string | null;
  /** For cache hits: the stored query whose result was served. */
  matchedQuery: string | null;
}

/** One verdict to store; at most one per sample ever (judgments.sample_id is the primary key). */
export interface VerdictRow {
  sampleId: number;
  verdict: 'pass' | 'fail';
  provider: 'anthropic' | 'openai';
  model: string;
  method: string;
  reason: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  runId: string | null;
}

interface Row { id: string; source: 'routing' | 'cache'; event_id: string; task_type: string; prompt: string | null; response: string | null; reference: string | null; matched_query: string | null }

/** Pending samples (not claimed by an open batch), oldest first, joined to their event. */
export async function selectPendingSamples(db: Queryable, limit: number): Promise<SampleToJudge[]> {
  const { rows } = await db.query<Row>(
    `select s.id, s.source, s.event_id, s.task_type,
            coalesce(r.prompt, c.query) as prompt, coalesce(r.response, c.result) as response,
            coalesce(r.reference, c.reference) as reference, c.matched_query
       from samples s
       left join routing_events r on s.source = 'routing' and r.id = s.event_id
       left join cache_lookups c on s.source = 'cache' and c.id = s.event_id
      where s.status = 'pending'
      order by s.id limit $1`,
    [limit],
  );
  return rows.map((r) => ({ sampleId: Number(r.id), source: r.source, eventId: r.event_id, taskType: r.task_type, prompt: r.prompt, response: r.response, reference: r.reference, matchedQuery: r.matched_query }));
}

/** Stores a verdict and marks the sample judged; a second verdict for the same sample is ignored. Returns true if stored. */
export async function recordVerdict(db: Queryable, v: VerdictRow): Promise<boolean> {
  // one round trip: the insert and the status change travel as one statement
  const { rows } = await db.query<{ stored: string }>(
    `with j as (
       insert into judgments (sample_id, verdict, provider, model, method, reason, input_tokens, output_tokens, cost_usd, run_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (sample_id) do nothing returning sample_id)
     update samples set status = 'judged', claimed_by = null, claimed_at = null where id = $1
     returning (select count(*) from j) as stored`,
    [v.sampleId, v.verdict, v.provider, v.model, v.method, v.reason, v.inputTokens, v.outputTokens, v.costUsd, v.runId],
  );
  return Number(rows[0]?.stored ?? 0) === 1;
}

/** Stores many verdicts in one statement (batch results); returns how many were new, by verdict. */
export async function recordVerdicts(db: Queryable, vs: VerdictRow[]): Promise<{ pass: number; fail: number }> {
  if (vs.length === 0) return { pass: 0, fail: 0 };
  const col = <K extends keyof VerdictRow>(k: K) => vs.map((v) => v[k]);
  const { rows } = await db.query<{ pass: string; fail: string }>(
    `with v as (
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::float8[], $10::text[])
         as t(sample_id, verdict, provider, model, method, reason, input_tokens, output_tokens, cost_usd, run_id)),
     j as (
       insert into judgments (sample_id, verdict, provider, model, method, reason, input_tokens, output_tokens, cost_usd, run_id)
       select * from v on conflict (sample_id) do nothing returning verdict),
     u as (update samples s set status = 'judged', claimed_by = null, claimed_at = null from v where s.id = v.sample_id returning 1)
     select count(*) filter (where verdict = 'pass') as pass, count(*) filter (where verdict = 'fail') as fail from j`,
    [col('sampleId'), col('verdict'), col('provider'), col('model'), col('method'), col('reason'), col('inputTokens'), col('outputTokens'), col('costUsd'), col('runId')],
  );
  return { pass: Number(rows[0]!.pass), fail: Number(rows[0]!.fail) };
}

/** Marks samples as held by a batch job, so no other run submits them meanwhile. */
export async function claimForBatch(db: Queryable, jobId: number, sampleIds: number[]): Promise<void> {
  await db.query(`update samples set status = 'claimed', claimed_by = $1, claimed_at = now() where id = any($2::bigint[]) and status = 'pending'`, [`batch:${jobId}`, sampleIds]);
}

/** Returns claimed samples to pending (their batch items errored, expired or were lost). */
export async function releaseSamples(db: Queryable, sampleIds: number[]): Promise<void> {
  if (sampleIds.length === 0) return;
  await db.query(`update samples set status = 'pending', claimed_by = null, claimed_at = null where id = any($1::bigint[]) and status = 'claimed'`, [sampleIds]);
}

/** Releases batch claims whose job is no longer open (collected, failed, lost); returns how many. */
export async function releaseStaleBatchClaims(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `update samples s set status = 'pending', claimed_by = null, claimed_at = null
      where s.status = 'claimed' and s.claimed_by like 'batch:%'
        and not exists (select 1 from batch_jobs j where 'batch:' || j.id = s.claimed_by and j.status in ('submitting', 'in_progress'))`,
  );
  return rowCount;
}

import type { Queryable } from '../db/db.js';

/** Ids of pending samples (samples held by an open batch are `claimed`, so never listed), oldest first. */
export async function selectPendingIds(q: Queryable, limit: number): Promise<number[]> {
  const r = await q.query<{ id: string }>(`select id from samples where status = 'pending' order by id limit $1`, [
    limit,
  ]);
  return r.rows.map((x) => Number(x.id));
}

/** Marks samples as held by batch job `jobId` (claimed_by 'batch:<jobId>'), so no other run takes them meanwhile. */
export async function claimForBatch(q: Queryable, jobId: number, sampleIds: number[]): Promise<void> {
  await q.query(
    `update samples set status = 'claimed', claimed_by = $1, claimed_at = now() where id = any($2::bigint[]) and status = 'pending'`,
    [`batch:${jobId}`, sampleIds],
  );
}

/** Returns batch-held samples to pending (their items errored, expired, were lost, or the reply was unreadable). */
export async function releaseBatchSamples(q: Queryable, sampleIds: number[]): Promise<void> {
  if (sampleIds.length === 0) return;
  await q.query(
    `update samples set status = 'pending', claimed_by = null, claimed_at = null where id = any($1::bigint[]) and status = 'claimed' and claimed_by like 'batch:%'`,
    [sampleIds],
  );
}

/** Releases batch claims whose job is no longer open (collected, failed, lost); returns how many. */
export async function releaseStaleBatchClaims(q: Queryable): Promise<number> {
  const r = await q.query(
    `update samples s set status = 'pending', claimed_by = null, claimed_at = null
      where s.status = 'claimed' and s.claimed_by like 'batch:%'
        and not exists (select 1 from batch_jobs j where 'batch:' || j.id = s.claimed_by and j.status in ('submitting', 'in_progress'))`,
  );
  return r.rowCount;
}

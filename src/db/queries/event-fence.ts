import type { Db } from '../db.js';

/**
 * The fence between event writers and the sampler's watermark.
 *
 * `seq` is handed out when a row is inserted but becomes visible when its transaction commits, so
 * a long ingest can commit seq 100 after a short one committed seq 200. A sampler that read up to
 * 200 in between would move its watermark past 100 and never see it. Every driftwatch writer holds
 * this lock shared for its transaction (taken in the insert statement itself, before the first
 * seq is drawn); the sampler takes it exclusively for a moment to read the horizon: every seq at or
 * below it is committed (or rolled back) by then, and every later writer draws a higher one.
 *
 * Applications that insert into routing_events or cache_lookups with their own SQL must take it
 * too (`select pg_advisory_xact_lock_shared(hashtext('driftwatch:event-writers'))` in the same
 * transaction, before the insert), or send JSONL through `driftwatch ingest`.
 */
export const EVENT_WRITERS_LOCK = 'driftwatch:event-writers';

/** A FROM item that takes the writers' lock shared: `insert ... select ... from <rows>, ${WRITER_FENCE}`. */
export const WRITER_FENCE = `(select pg_advisory_xact_lock_shared(hashtext('${EVENT_WRITERS_LOCK}'))) as driftwatch_writer_fence`;

/** The highest committed seq of both event tables, once writers that started earlier have finished. */
export async function readEventHorizon(db: Db): Promise<{ routing: number; cache: number }> {
  return db.transaction(
    async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [EVENT_WRITERS_LOCK]);
      const r = await tx.query<{ routing: string; cache: string }>(
        `select (select coalesce(max(seq), 0) from routing_events)::text as routing, (select coalesce(max(seq), 0) from cache_lookups)::text as cache`,
      );
      return { routing: Number(r.rows[0]!.routing), cache: Number(r.rows[0]!.cache) };
    },
    { retry: true },
  ); // reads only
}

import type { Queryable } from '../db/db.js';
import { WRITER_FENCE } from '../db/queries/event-fence.js';

/** The contract's cache lookup event, as stored in cache_lookups. */
export interface CacheLookupEvent {
  id: string;
  ts: Date;
  taskType?: string;
  query: string;
  hit: boolean;
  /** Best match's similarity in [0, 1]; 0 when nothing was in scope. */
  similarity: number;
  matchedQuery?: string;
  /** On a hit the answer served; on a miss the best match's answer (what a lower threshold would serve). */
  result?: string;
  /** A fresh computation's answer, when known (always on a computed miss). */
  reference?: string;
  threshold?: number;
  metadata?: Record<string, unknown>;
}

/** Records a lookup; an id already logged is left as it is (idempotent). */
export async function logCacheLookup(db: Queryable, e: CacheLookupEvent): Promise<void> {
  await db.query(
    `insert into cache_lookups (id, ts, task_type, query, hit, similarity, matched_query, result, reference, threshold, metadata)
     select $1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb from ${WRITER_FENCE} on conflict (id) do nothing`,
    [
      e.id,
      e.ts,
      e.taskType ?? null,
      e.query,
      e.hit,
      e.similarity,
      e.matchedQuery ?? null,
      e.result ?? null,
      e.reference ?? null,
      e.threshold ?? null,
      e.metadata ? JSON.stringify(e.metadata) : null,
    ],
  );
}

/** The text form of a cached result in the lookup log (strings as they are, anything else as JSON). */
export function resultText(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result);
}

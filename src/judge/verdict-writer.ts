import type { Queryable } from '../db/db.js';
import { verdictsOfRun, writeVerdictIds, type VerdictRow } from './judge-queries.js';
import { retryDbWrite, type DbRetryPolicy } from './retry-db-write.js';

/** Stores paid verdicts as they arrive; `store` resolves once the verdict is in the database. */
export interface VerdictWriter {
  /** Resolves true when this call stored the verdict, false when another worker already had. */
  store(sampleId: number, v: VerdictRow): Promise<boolean>;
}

/**
 * Group commit for paid verdicts: a verdict is written as soon as it arrives; verdicts that arrive
 * while a write is on its way go together in the next one, so nothing waits in a buffer longer
 * than one round trip. A write that fails on a dropped connection is retried while the verdicts wait
 * in memory; on a retry, verdicts already stored under `runId` (the first try did commit, the reply
 * was lost) count as stored by us, so none is stored or counted twice.
 */
export function createVerdictWriter(db: Queryable, runId: string, retry: DbRetryPolicy = {}): VerdictWriter {
  type Item = { sampleId: number; v: VerdictRow; resolve: (stored: boolean) => void; reject: (err: unknown) => void };
  let queue: Item[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const rows = batch.map((b) => ({ sampleId: b.sampleId, v: b.v }));
      try {
        const stored = new Set(await retryDbWrite(`storing ${rows.length} verdict(s)`, async (attempt) =>
          attempt === 0 ? writeVerdictIds(db, rows, runId) : [...new Set([...(await writeVerdictIds(db, rows, runId)), ...(await verdictsOfRun(db, rows.map((r) => r.sampleId), runId))])], retry));
        for (const b of batch) b.resolve(stored.has(b.sampleId));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    writing = false;
  };
  return {
    store(sampleId, v) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ sampleId, v, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

import type { Queryable } from '../db/db.js';
import { verdictsOfRun, writeVerdictIds, type VerdictRow } from './judge-queries.js';
import { retryDbWrite, type DbRetryPolicy } from './retry-db-write.js';

/** Stores paid verdicts as they arrive; `store` resolves once the verdict is in the database. */
export interface VerdictWriter {
  /** Resolves true when this call stored the verdict, false when another worker already had. */
  store(sampleId: number, v: VerdictRow): Promise<boolean>;
}

/**
 * Group commit for paid verdicts: a verdict is written within `lingerMs` (10 ms) of its arrival, or
 * at once when `maxBatch` are waiting; verdicts that arrive while a write is on its way go together in
 * the next one, so nothing waits longer than one round trip and a few milliseconds. A write that fails on a dropped connection is retried while the verdicts wait
 * in memory; on a retry, verdicts already stored under `runId` (the first try did commit, the reply
 * was lost) count as stored by us, so none is stored or counted twice.
 */
export function createVerdictWriter(
  db: Queryable,
  runId: string,
  retry: DbRetryPolicy = {},
  batching: { lingerMs?: number; maxBatch?: number } = {},
): VerdictWriter {
  const lingerMs = batching.lingerMs ?? 10;
  const maxBatch = batching.maxBatch ?? 16;
  let timer: ReturnType<typeof setTimeout> | undefined;
  type Item = { sampleId: number; v: VerdictRow; resolve: (stored: boolean) => void; reject: (err: unknown) => void };
  let queue: Item[] = [];
  let writing = false;
  const drain = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const rows = batch.map((b) => ({ sampleId: b.sampleId, v: b.v }));
      try {
        const stored = new Set(
          await retryDbWrite(
            `storing ${rows.length} verdict(s)`,
            async (attempt) =>
              attempt === 0
                ? writeVerdictIds(db, rows, runId)
                : [
                    ...new Set([
                      ...(await writeVerdictIds(db, rows, runId)),
                      ...(await verdictsOfRun(
                        db,
                        rows.map((r) => r.sampleId),
                        runId,
                      )),
                    ]),
                  ],
            retry,
          ),
        );
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
        if (writing) return;
        // a few ms of company: every caller holds its judging slot until its verdict is stored, so at
        // most `concurrency` paid verdicts are ever unstored, and one statement carries several
        if (queue.length >= maxBatch) void drain();
        else timer ??= setTimeout(() => void drain(), lingerMs);
      });
    },
  };
}

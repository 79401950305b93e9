import { createBatchQueue, type DeliveredResult } from '../../batch/create-batch-queue.js';
import { callCostUsd } from '../../routing/price-catalog.js';
import { createBudget } from './create-budget.js';
import { emptySummary, noteError, type ProviderJudgeDeps, type ProviderJudgeOptions, type ProviderJudgeSummary } from './provider-judge-types.js';
import { claimForBatch, recordVerdicts, releaseSamples, releaseStaleBatchClaims, selectPendingSamples, type VerdictRow } from './sample-queries.js';

/**
 * `judge --batch`: first re-attaches batches a previous process submitted (stored in batch_jobs),
 * then submits the pending samples through the provider's batch API (the same batch queue the
 * library exposes), polls with backoff and stores verdicts matched by custom_id. Samples sit
 * `claimed` while their batch is open; an errored, expired or lost item returns to pending.
 */
export async function runBatchJudge(deps: ProviderJudgeDeps, o: ProviderJudgeOptions): Promise<ProviderJudgeSummary> {
  const { db, client } = deps;
  const summary = emptySummary('batch');
  const release = await db.tryLock('driftwatch:judge');
  if (!release) throw new Error('another driftwatch judge run holds the judge lock on this database; wait for it to finish');
  try {
    await releaseStaleBatchClaims(db);
    const onResults = async (results: DeliveredResult[]) => {
      const verdicts: VerdictRow[] = [];
      const released: number[] = [];
      for (const { item, meta } of results) {
        if (meta.sampleId == null) continue;
        const v = item.reply ? o.toVerdict(item.reply.text) : null;
        if (!item.reply || !v) {
          if (item.reply) summary.unparsed++;
          else noteError(summary, `${item.customId}: ${item.error}`);
          released.push(meta.sampleId);
          continue;
        }
        const { inputTokens, outputTokens } = item.reply.usage;
        const costUsd = callCostUsd(client.model, inputTokens, outputTokens, { batch: true });
        summary.costUsd += costUsd;
        verdicts.push({ sampleId: meta.sampleId, ...v, provider: client.provider, model: item.reply.model, method: o.method, inputTokens, outputTokens, costUsd, runId: o.runId ?? null });
      }
      await db.transaction(async (tx) => {
        const stored = await recordVerdicts(tx, verdicts);
        await releaseSamples(tx, released);
        summary.pass += stored.pass;
        summary.fail += stored.fail;
        summary.judged += stored.pass + stored.fail;
        summary.stillPending += released.length;
      });
    };
    const queue = createBatchQueue({
      client, db, purpose: 'judge', maxBatch: o.maxBatch, flushEveryMs: 0, sleep: deps.sleep, timers: deps.timers, poll: o.poll, onResults,
      onRecord: (tx, jobId, items) => claimForBatch(tx, jobId, items.map((i) => i.meta.sampleId!)),
    });
    summary.resumedBatches = await queue.resume();
    await queue.drain(); // resumed results first, so their samples are not submitted again
    const samples = await selectPendingSamples(db, o.limit ?? 100_000);
    const budget = createBudget({ model: client.model, maxCostUsd: o.maxCostUsd, batch: true });
    const submitted: Promise<unknown>[] = [];
    for (const s of samples) {
      summary.considered++;
      const req = o.toRequest(s);
      if (!budget.tryReserve(req)) { summary.skippedForBudget++; summary.stillPending++; continue; }
      submitted.push(queue.submit(req, { sampleId: s.sampleId }).catch((err: unknown) => {
        summary.stillPending++; // its batch stays stored; the next run resumes it
        noteError(summary, String(err instanceof Error ? err.message : err));
      }));
    }
    summary.batches = Math.ceil(submitted.length / (o.maxBatch ?? 10_000));
    await queue.drain();
    await Promise.all(submitted);
    return summary;
  } finally {
    await release();
  }
}

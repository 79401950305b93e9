import { createBatchJobStore } from '../batch/batch-job-store.js';
import { createBatchQueue } from '../batch/create-batch-queue.js';
import { finishRun, startRun } from '../runs/run-record.js';
import { JudgeError } from '../errors.js';
import { assertBudgetable } from './assert-budgetable.js';
import { claimForBatch, releaseStaleBatchClaims } from './batch-judge-queries.js';
import { createBatchResultHandler } from './batch-judge-results.js';
import type { BatchJudgeDeps, BatchJudgeOptions, BatchJudgeResult } from './batch-judge-types.js';
import { judgeFailure, JudgeHealth } from './judge-health.js';
import { countPending, resetJudgeErrors } from './judge-queries.js';
import { submitPendingBatch } from './submit-pending-batch.js';

/**
 * `judge --batch`: re-attaches batches a previous process submitted (batch_jobs), then sends the
 * pending samples through the provider's batch API (the library's batch queue) at the batch price,
 * under the hard budget. Verdicts are matched by custom_id and stored once per sample; an errored,
 * expired or lost item leaves its sample pending; an unreadable reply marks it judge_error (a batch has
 * no quick second try; `--retry-errors` sends it again). When every submission fails (the provider is
 * unreachable or refuses the key) the run raises JudgeUnavailableError.
 */
export async function runBatchJudge(deps: BatchJudgeDeps, o: BatchJudgeOptions = {}): Promise<BatchJudgeResult> {
  const { db, client } = deps;
  assertBudgetable(client.model, o.maxCostUsd);
  // one batch poller per database: two would collect the same batches (harmless, but paid polling twice)
  const unlock = await db.tryLock('driftwatch:judge-batch');
  if (!unlock)
    throw new JudgeError(
      'another `driftwatch judge --batch` is running on this database; it will collect the open batches',
      { retryable: true },
    );
  const runId = o.runId ?? (await startRun(db, { kind: 'judge' }));
  const r = emptyResult(client, runId);
  const health = new JudgeHealth(Number.POSITIVE_INFINITY);
  r.callFailures = health.failures;
  const queue = createBatchQueue({
    client,
    db,
    purpose: 'judge',
    maxBatch: o.maxBatch,
    flushEveryMs: 0,
    sleep: deps.sleep,
    timers: deps.timers,
    poll: o.poll,
    onResults: createBatchResultHandler({ db, client, runId, log: deps.log }, r),
    waitForResults: o.wait !== false,
    onRecord: (tx, jobId, items) =>
      claimForBatch(
        tx,
        jobId,
        items.map((i) => i.meta.sampleId!),
      ),
  });
  try {
    if (o.retryErrors) r.retriedErrors = await resetJudgeErrors(db);
    await releaseStaleBatchClaims(db);
    r.resumedBatches = await queue.resume();
    await queue.drain(); // finish what a previous process started before choosing new work
    await submitPendingBatch(deps, o, queue, r, health);
    await queue.drain();
    const failure = judgeFailure(
      { provider: client.provider, model: client.model, baseUrl: client.baseUrl },
      health,
      r.calls,
    );
    if (failure) throw failure;
    if (o.wait === false) r.openBatches = await createBatchJobStore(db).countOpen(client.provider, 'judge');
  } catch (err) {
    if (!o.runId) await finishRun(db, { id: runId, status: 'failed', summary: { ...r, error: String(err) } });
    throw err;
  } finally {
    await unlock();
  }
  r.costUsd = Math.round(r.costUsd * 1e8) / 1e8;
  r.pending = await countPending(db);
  if (!o.runId) await finishRun(db, { id: runId, status: 'ok', summary: r });
  deps.log?.(
    `batch-judged ${r.judged} samples in ${r.batches} new and ${r.resumedBatches} resumed batches, ${r.pending} pending, ${r.openBatches} batches open, $${r.costUsd}`,
  );
  return r;
}

function emptyResult(client: BatchJudgeDeps['client'], runId: string): BatchJudgeResult {
  return {
    judged: 0,
    pending: 0,
    calls: 0,
    costUsd: 0,
    stoppedByBudget: false,
    callsSaved: 0,
    unjudgeable: 0,
    failures: 0,
    duplicates: 0,
    provider: client.provider,
    model: client.model,
    runId,
    batches: 0,
    resumedBatches: 0,
    needsRealtime: 0,
    openBatches: 0,
    callFailures: { total: 0, byCause: {} },
    judgeErrors: 0,
    retriedErrors: 0,
    unconfirmedCostUsd: 0,
  };
}

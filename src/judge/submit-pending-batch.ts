import type { BatchQueue } from '../batch/batch-queue-types.js';
import { JudgeError } from '../errors.js';
import { selectPendingIds } from './batch-judge-queries.js';
import type { BatchJudgeDeps, BatchJudgeOptions, BatchJudgeResult } from './batch-judge-types.js';
import { compareAnswer, comparatorFor } from './comparators/index.js';
import { emptyAnswerOutcome, isEmptyAnswer } from './empty-answer.js';
import { JudgeBudget } from './judge-budget.js';
import type { JudgeRequest } from './judge-client.js';
import type { JudgeHealth } from './judge-health.js';
import { loadSamples, markUnjudgeable, writeVerdicts, type ClaimedSample, type VerdictRow } from './judge-queries.js';
import { isPairwiseSample, planPairwise } from './pairwise/batch-pairwise.js';
import { planBatchRequest } from './plan-batch-request.js';
import { estimateCallCostUsd } from './priced-call.js';

/** What one pending sample needs in a batch run: nothing paid (decided here), the real-time judge, or requests. */
type SamplePlan =
  | { kind: 'saved'; v: VerdictRow }
  | { kind: 'ready'; v: VerdictRow }
  | { kind: 'unjudgeable'; reason: string }
  | { kind: 'needs-realtime' }
  | { kind: 'requests'; pairwise: boolean; requests: { request: JudgeRequest; tag: string }[] };

/**
 * Plans every pending sample (up to `limit`) and submits those that need the reference model to the
 * queue under the hard budget (the first that does not fit stops the run's submissions). Free
 * verdicts and unjudgeable marks are written in one transaction; the queue is flushed at the end.
 */
export async function submitPendingBatch(
  deps: BatchJudgeDeps,
  o: BatchJudgeOptions,
  queue: BatchQueue,
  r: BatchJudgeResult,
  health: JudgeHealth,
): Promise<void> {
  const budget = new JudgeBudget(o.maxCostUsd);
  const samples = await loadSamples(deps.db, await selectPendingIds(deps.db, o.limit ?? 1_000_000));
  const unjudgeable: { sampleId: number; reason: string }[] = [];
  const saved: { sampleId: number; v: VerdictRow }[] = [];
  const ready: { sampleId: number; v: VerdictRow }[] = [];
  const waits: Promise<unknown>[] = [];
  for (const s of samples) {
    const plan = await planSample(deps, o, s);
    if (plan.kind === 'saved') saved.push({ sampleId: s.id, v: plan.v });
    else if (plan.kind === 'ready') ready.push({ sampleId: s.id, v: plan.v });
    else if (plan.kind === 'unjudgeable') unjudgeable.push({ sampleId: s.id, reason: plan.reason });
    else if (plan.kind === 'needs-realtime') r.needsRealtime++;
    else {
      const estimate = plan.requests.reduce((a, q) => a + estimateCallCostUsd(deps.client.model, q.request, true), 0);
      if (!budget.tryReserve(estimate)) break;
      r.calls += plan.requests.length;
      // a rejected promise means its batch stays stored and open: the next run resumes it
      for (const q of plan.requests)
        waits.push(
          queue.submit(q.request, { sampleId: s.id, tag: q.tag }).catch((err: unknown) => {
            r.failures++;
            if (!plan.pairwise)
              health.failed(
                err instanceof JudgeError ? err : new JudgeError(String(err), { cause: err, retryable: true }),
              );
            deps.log?.(String(err));
          }),
        );
    }
  }
  r.stoppedByBudget = budget.stopped;
  await deps.db.transaction(async (tx) => {
    r.judged += await writeVerdicts(tx, [...saved, ...ready], r.runId);
    await markUnjudgeable(tx, unjudgeable);
  });
  r.callsSaved += saved.length;
  r.unjudgeable += unjudgeable.length;
  r.batches = Math.ceil(r.calls / (o.maxBatch ?? 10_000));
  queue.flush();
  // without waiting, callers' promises settle only on a submission failure: drain() awaits the submissions
  if (o.wait !== false) await Promise.all(waits);
}

async function planSample(deps: BatchJudgeDeps, o: BatchJudgeOptions, s: ClaimedSample): Promise<SamplePlan> {
  if (isEmptyAnswer(s.candidate)) {
    // judge.emptyAnswer: a free offline fail (default), or unjudgeable as before
    const e = emptyAnswerOutcome(o.emptyAnswer);
    return e.kind === 'verdict' ? { kind: 'saved', v: e.row } : { kind: 'unjudgeable', reason: e.reason };
  }
  if (isPairwiseSample(s)) {
    if (s.candidate!.trim() === s.premium!.trim())
      return { kind: 'saved', v: offlinePass('pairwise-preference', 'identical to the premium answer') };
    // both orders of the pair, less any order whose reply an earlier batch or run already paid for
    const p = await planPairwise(deps.db, deps.client, s);
    if (p.verdict) return { kind: 'ready', v: p.verdict };
    return { kind: 'requests', pairwise: true, requests: p.requests };
  }
  const plan = planBatchRequest(s);
  if ('kind' in plan)
    return plan.kind === 'unjudgeable' ? { kind: 'unjudgeable', reason: plan.reason } : { kind: 'needs-realtime' };
  // cheap first, as in real time: only exact agreement with the reference is decisive
  const cmp = compareAnswer(comparatorFor(s.taskType, o.comparators), s.candidate!, s.reference!, o.f1Threshold);
  if (cmp.value === 1) return { kind: 'saved', v: offlinePass(cmp.name, cmp.reason) };
  return { kind: 'requests', pairwise: false, requests: [{ request: plan.request, tag: plan.method }] };
}

function offlinePass(method: string, reason: string): VerdictRow {
  return {
    verdict: 'pass',
    provider: 'offline',
    model: null,
    method,
    reason,
    inputTokens: null,
    outputTokens: null,
    costUsd: 0,
  };
}

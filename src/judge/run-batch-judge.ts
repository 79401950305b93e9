import { createBatchJobStore } from '../batch/batch-job-store.js';
import { createBatchQueue, type DeliveredResult, type QueueTimers } from '../batch/create-batch-queue.js';
import type { PollPolicy } from '../batch/wait-for-batch.js';
import type { Db } from '../db/db.js';
import { JudgeError } from '../errors.js';
import { redactSecrets } from '../reports/redact-secrets.js';
import { findPrice } from '../routing/price-catalog.js';
import { finishRun, startRun } from '../runs/run-record.js';
import {
  claimForBatch,
  releaseBatchSamples,
  releaseStaleBatchClaims,
  selectPendingIds,
} from './batch-judge-queries.js';
import { compareAnswer, comparatorFor } from './comparators/index.js';
import { JudgeBudget } from './judge-budget.js';
import type { JudgeClient } from './judge-client.js';
import { judgeFailure, JudgeHealth } from './judge-health.js';
import {
  countPending,
  loadSamples,
  markJudgeErrors,
  markUnjudgeable,
  resetJudgeErrors,
  writeVerdicts,
  type VerdictRow,
} from './judge-queries.js';
import { parseVerdict } from './parse-verdict.js';
import { collectPairwiseReply, isPairwiseSample, pairwiseOrderOf, planPairwise } from './pairwise/batch-pairwise.js';
import { parsePreference } from './pairwise/parse-preference.js';
import { emptyAnswerOutcome, isEmptyAnswer, type EmptyAnswerPolicy } from './empty-answer.js';
import { planBatchRequest } from './plan-batch-request.js';
import { estimateCallCostUsd, replyCostUsd } from './priced-call.js';
import type { JudgeRunResult } from './run-judge.js';

/** What a batch judge run needs: the Db, a provider client, and (for tests) time. */
export interface BatchJudgeDeps {
  db: Db;
  client: JudgeClient;
  sleep?: (ms: number) => Promise<void>;
  timers?: QueueTimers;
  log?: (message: string) => void;
}

/** Limits of one `judge --batch` run. */
export interface BatchJudgeOptions {
  maxCostUsd?: number;
  limit?: number;
  /** Requests per provider batch (default 10,000). */
  maxBatch?: number;
  poll?: PollPolicy;
  runId?: string;
  /** Comparator per task class (config judge.comparators): an exact match passes without a request. */
  comparators?: Record<string, string>;
  /** config judge.emptyAnswer: an empty answer fails (default) or is unjudgeable. */
  emptyAnswer?: EmptyAnswerPolicy;
  /** Pass mark of the token-f1 comparator (default 0.5). */
  f1Threshold?: number;
  /**
   * false (the daemon): do not wait for providers. Collect the stored batches that have ended,
   * submit the pending samples as new batches, and return; the next run collects those.
   */
  wait?: boolean;
  /** Return judge_error samples to pending first (they are sent again). */
  retryErrors?: boolean;
}

/** The `judge --batch --json` object: the `judge` fields plus batch counts. */
export interface BatchJudgeResult extends JudgeRunResult {
  batches: number;
  resumedBatches: number;
  /** Samples without a recorded reference: left pending for the real-time judge. */
  needsRealtime: number;
  /** Batches still open at the provider when the run returned (only without waiting). */
  openBatches: number;
}

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
  // one batch poller per database: two would collect the same batches (harmless, but paid polling twice)
  const unlock = await db.tryLock('driftwatch:judge-batch');
  if (!unlock)
    throw new JudgeError(
      'another `driftwatch judge --batch` is running on this database; it will collect the open batches',
      { retryable: true },
    );
  const runId = o.runId ?? (await startRun(db, { kind: 'judge' }));
  const r: BatchJudgeResult = {
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
  const health = new JudgeHealth(Number.POSITIVE_INFINITY);
  r.callFailures = health.failures;
  const onResults = async (results: DeliveredResult[]) => {
    const verdicts: { sampleId: number; v: VerdictRow }[] = [];
    const released: number[] = [];
    const unreadable: { sampleId: number; error: string }[] = [];
    for (const { item, meta } of results) {
      if (meta.sampleId == null) continue;
      const order = pairwiseOrderOf(meta.tag);
      if (order) {
        // one order of a pairwise sample: kept as it arrives, the verdict once both orders are in
        if (!item.reply || !readable(item.reply.text)) {
          r.failures++;
          deps.log?.(`sample ${meta.sampleId} (${order}) stays pending: ${item.error ?? 'unreadable preference'}`);
          released.push(meta.sampleId);
          continue;
        }
        const paid = replyCostUsd(findPrice(item.reply.model) ? item.reply.model : client.model, item.reply, true);
        r.costUsd += paid;
        const pv = await collectPairwiseReply(db, client, meta.sampleId, order, item.reply, paid);
        if (pv) verdicts.push({ sampleId: meta.sampleId, v: pv });
        continue;
      }
      const v = item.reply ? tryParse(item.reply.text) : null;
      if (item.reply && !v) {
        r.judgeErrors++;
        deps.log?.(`sample ${meta.sampleId} marked judge_error: the batch reply is not a verdict`);
        unreadable.push({ sampleId: meta.sampleId, error: redactSecrets(item.reply.text.slice(0, 200)).slice(0, 200) });
        continue;
      }
      if (!item.reply || !v) {
        r.failures++;
        deps.log?.(`sample ${meta.sampleId} stays pending: ${item.error ?? 'no reply'}`);
        released.push(meta.sampleId);
        continue;
      }
      // a resumed batch may have been sent with another model than this run's: price what answered
      const costUsd = replyCostUsd(findPrice(item.reply.model) ? item.reply.model : client.model, item.reply, true);
      r.costUsd += costUsd;
      verdicts.push({
        sampleId: meta.sampleId,
        v: {
          ...v,
          provider: client.provider,
          model: item.reply.model,
          method: meta.tag ?? 'batch',
          inputTokens: item.reply.usage.inputTokens,
          outputTokens: item.reply.usage.outputTokens,
          costUsd,
        },
      });
    }
    await db.transaction(async (tx) => {
      const stored = await writeVerdicts(tx, verdicts, runId);
      await releaseBatchSamples(tx, released);
      await markJudgeErrors(tx, unreadable);
      r.judged += stored;
      r.duplicates += verdicts.length - stored;
    });
  };
  const queue = createBatchQueue({
    client,
    db,
    purpose: 'judge',
    maxBatch: o.maxBatch,
    flushEveryMs: 0,
    sleep: deps.sleep,
    timers: deps.timers,
    poll: o.poll,
    onResults,
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
    await submitPending(deps, o, queue, r, health);
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

async function submitPending(
  deps: BatchJudgeDeps,
  o: BatchJudgeOptions,
  queue: ReturnType<typeof createBatchQueue>,
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
    if (isEmptyAnswer(s.candidate)) {
      // judge.emptyAnswer: a free offline fail (default), or unjudgeable as before
      const e = emptyAnswerOutcome(o.emptyAnswer);
      if (e.kind === 'verdict') saved.push({ sampleId: s.id, v: e.row });
      else unjudgeable.push({ sampleId: s.id, reason: e.reason });
      continue;
    }
    if (isPairwiseSample(s)) {
      if (s.candidate!.trim() === s.premium!.trim()) {
        saved.push({
          sampleId: s.id,
          v: {
            verdict: 'pass',
            provider: 'offline',
            model: null,
            method: 'pairwise-preference',
            reason: 'identical to the premium answer',
            inputTokens: null,
            outputTokens: null,
            costUsd: 0,
          },
        });
        continue;
      }
      // both orders of the pair, less any order whose reply an earlier batch or run already paid for
      const p = await planPairwise(deps.db, deps.client, s);
      if (p.verdict) {
        ready.push({ sampleId: s.id, v: p.verdict });
        continue;
      }
      if (
        !budget.tryReserve(p.requests.reduce((a, q) => a + estimateCallCostUsd(deps.client.model, q.request, true), 0))
      )
        break;
      r.calls += p.requests.length;
      for (const q of p.requests)
        waits.push(
          queue.submit(q.request, { sampleId: s.id, tag: q.tag }).catch((err: unknown) => {
            r.failures++;
            deps.log?.(String(err));
          }),
        );
      continue;
    }
    const plan = planBatchRequest(s);
    if ('kind' in plan) {
      if (plan.kind === 'unjudgeable') unjudgeable.push({ sampleId: s.id, reason: plan.reason });
      else r.needsRealtime++;
      continue;
    }
    // cheap first, as in real time: only exact agreement with the reference is decisive
    const cmp = compareAnswer(comparatorFor(s.taskType, o.comparators), s.candidate!, s.reference!, o.f1Threshold);
    if (cmp.value === 1) {
      saved.push({
        sampleId: s.id,
        v: {
          verdict: 'pass',
          provider: 'offline',
          model: null,
          method: cmp.name,
          reason: cmp.reason,
          inputTokens: null,
          outputTokens: null,
          costUsd: 0,
        },
      });
      continue;
    }
    if (!budget.tryReserve(estimateCallCostUsd(deps.client.model, plan.request, true))) break;
    r.calls++;
    // a rejected promise means its batch stays stored and open: the next run resumes it
    waits.push(
      queue.submit(plan.request, { sampleId: s.id, tag: plan.method }).catch((err: unknown) => {
        r.failures++;
        health.failed(err instanceof JudgeError ? err : new JudgeError(String(err), { cause: err, retryable: true }));
        deps.log?.(String(err));
      }),
    );
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

function readable(text: string): boolean {
  try {
    parsePreference(text);
    return true;
  } catch {
    return false;
  }
}

function tryParse(text: string): ReturnType<typeof parseVerdict> | null {
  try {
    return parseVerdict(text);
  } catch {
    return null;
  }
}

import pLimit from 'p-limit';
import { JudgeError } from '../../errors.js';
import { createBudget } from './create-budget.js';
import { emptySummary, noteError, type ProviderJudgeDeps, type ProviderJudgeOptions, type ProviderJudgeSummary } from './provider-judge-types.js';
import { recordVerdict, selectPendingSamples, type SampleToJudge } from './sample-queries.js';

/**
 * Judges pending samples one call each through `client.complete`, `concurrency` at a time, under
 * a hard budget (worst-case estimate reserved before each call). A sample is written judged only
 * with its verdict (one per sample, ever); any failure leaves it pending. Non-retryable errors
 * (bad key, bad model) stop the run and are thrown.
 */
export async function runRealtimeJudge(deps: ProviderJudgeDeps, o: ProviderJudgeOptions): Promise<ProviderJudgeSummary> {
  const { db, client } = deps;
  const summary = emptySummary('realtime');
  const release = await db.tryLock('driftwatch:judge');
  if (!release) throw new JudgeError('another driftwatch judge run holds the judge lock on this database; wait for it to finish', { retryable: true });
  try {
    const samples = await selectPendingSamples(db, o.limit ?? 100_000);
    summary.considered = samples.length;
    const budget = createBudget({ model: client.model, maxCostUsd: o.maxCostUsd });
    const limit = pLimit(o.concurrency ?? 8);
    let fatal: unknown;
    const judgeOne = async (s: SampleToJudge) => {
      if (fatal || deps.signal?.aborted) return void summary.stillPending++;
      const req = o.toRequest(s);
      if (!budget.tryReserve(req)) { summary.skippedForBudget++; summary.stillPending++; return; }
      try {
        const reply = await client.complete(req, { signal: deps.signal });
        const costUsd = budget.settle(req, reply.usage);
        const v = o.toVerdict(reply.text);
        if (!v) { summary.unparsed++; summary.stillPending++; return; }
        const stored = await recordVerdict(db, { sampleId: s.sampleId, ...v, provider: client.provider, model: reply.model, method: o.method, inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens, costUsd, runId: o.runId ?? null });
        if (stored) { summary.judged++; summary[v.verdict]++; }
      } catch (err) {
        budget.release(req);
        summary.stillPending++;
        noteError(summary, err instanceof Error ? err.message : String(err));
        if (!(err instanceof JudgeError && err.retryable)) fatal ??= err;
      }
    };
    await Promise.all(samples.map((s) => limit(() => judgeOne(s))));
    summary.costUsd = budget.spentUsd();
    if (fatal) throw fatal;
    return summary;
  } finally {
    await release();
  }
}

import type { JudgeClient } from './judge-client.js';
import { markUnjudgeable, releaseClaims, writeVerdicts, type ClaimedSample, type VerdictRow } from './judge-queries.js';
import type { JudgeDeps, JudgeRunResult } from './judge-run-types.js';
import type { Outcome, RunState } from './judge-sample.js';

/**
 * Writes a chunk's free verdicts and unjudgeable marks and releases the rest. Each statement is
 * idempotent and none needs the others, so no transaction holds a connection across them (a
 * dropped connection then fails one statement, which is retried, instead of a whole transaction).
 */
export async function flushChunk(
  deps: JudgeDeps,
  worker: string,
  runId: string,
  samples: ClaimedSample[],
  outcomes: Outcome[],
  state: RunState,
): Promise<void> {
  const verdicts: { sampleId: number; v: VerdictRow }[] = [];
  const unjudgeable: { sampleId: number; reason: string }[] = [];
  const release: number[] = [];
  outcomes.forEach((o, i) => {
    const id = samples[i].id;
    if (o.kind === 'verdict') verdicts.push({ sampleId: id, v: o.row });
    else if (o.kind === 'unjudgeable') unjudgeable.push({ sampleId: id, reason: o.reason });
    else if (o.kind === 'release') release.push(id);
  });
  const stored = await deps.db.transaction(
    async (tx) => {
      const n = await writeVerdicts(tx, verdicts, runId);
      await markUnjudgeable(tx, unjudgeable);
      await releaseClaims(tx, worker, release);
      return n;
    },
    { retry: true },
  ); // idempotent by sample id: a flush cut by a lost connection is written again, not lost
  state.judged += stored;
  state.duplicates += verdicts.length - stored;
  state.unjudgeable += unjudgeable.length;
}

/** The run's result from its state (costs rounded to 1e-8 USD). */
export function summarize(
  state: RunState,
  pending: number,
  client: JudgeClient | undefined,
  runId: string,
): JudgeRunResult {
  const round = (x: number) => Math.round(x * 1e8) / 1e8;
  return {
    judged: state.judged,
    pending,
    calls: state.ledger.calls,
    costUsd: round(state.ledger.costUsd),
    stoppedByBudget: state.budget.stopped,
    callsSaved: state.ledger.saved,
    unjudgeable: state.unjudgeable,
    failures: state.failures,
    duplicates: state.duplicates,
    provider: client?.provider ?? 'offline',
    model: client?.model ?? null,
    runId,
    callFailures: state.health.failures,
    judgeErrors: state.judgeErrors,
    retriedErrors: state.retriedErrors,
    unconfirmedCostUsd: round(state.ledger.unconfirmedUsd ?? 0),
  };
}

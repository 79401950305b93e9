import { JudgeError } from '../errors.js';
import { redactSecrets } from '../reports/redact-secrets.js';
import { comparatorFor } from './comparators/index.js';
import { evaluateAnswer, type EvaluateContext, type Evaluation } from './evaluate-sample.js';
import type { JudgeBudget } from './judge-budget.js';
import type { JudgeHealth } from './judge-health.js';
import { markJudgeErrors, type ClaimedSample } from './judge-queries.js';
import type { JudgeDeps, JudgeOptions } from './judge-run-types.js';
import { BudgetStop } from './priced-call.js';
import { retryDbWrite } from './retry-db-write.js';
import type { VerdictWriter } from './verdict-writer.js';

/** What the samples of one run share: budget, call ledger, health, counts, the verdict writer, the first fatal error. */
export interface RunState {
  budget: JudgeBudget;
  ledger: EvaluateContext['ledger'] & { unconfirmedUsd?: number };
  health: JudgeHealth;
  judged: number;
  unjudgeable: number;
  failures: number;
  duplicates: number;
  judgeErrors: number;
  retriedErrors: number;
  writer?: VerdictWriter;
  fatal?: unknown;
}

/** `stored`: a paid verdict or judge_error already written; the chunk flush leaves it alone. */
export type Outcome = Evaluation | { kind: 'release' } | { kind: 'stored' };

/** Judges one sample and, when a call was paid for, stores the result before freeing the slot. */
export async function judgeAndStore(
  s: ClaimedSample,
  deps: JudgeDeps,
  options: JudgeOptions,
  state: RunState,
): Promise<Outcome> {
  const outcome = await judgeOne(s, deps, options, state);
  const dbRetry = { maxMs: options.dbRetryMs, log: deps.log };
  try {
    if (outcome.kind === 'verdict' && outcome.row.provider !== 'offline') {
      const stored = await state.writer!.store(s.id, outcome.row);
      if (stored) state.judged++;
      else state.duplicates++;
      return { kind: 'stored' };
    }
    if (outcome.kind === 'judge_error') {
      await retryDbWrite(
        `marking sample ${s.id} judge_error`,
        () => markJudgeErrors(deps.db, [{ sampleId: s.id, error: outcome.excerpt }]),
        dbRetry,
      );
      state.judgeErrors++;
      return { kind: 'stored' };
    }
  } catch (err) {
    state.fatal ??= err;
    return { kind: 'release' };
  }
  return outcome;
}

type JudgeOutcome = Evaluation | { kind: 'release' } | { kind: 'judge_error'; excerpt: string };

async function judgeOne(
  s: ClaimedSample,
  deps: JudgeDeps,
  options: JudgeOptions,
  state: RunState,
): Promise<JudgeOutcome> {
  const ctx: EvaluateContext = {
    comparator: comparatorFor(s.taskType, options.comparators),
    f1Threshold: options.f1Threshold,
    client: deps.client,
    budget: state.budget,
    ledger: state.ledger,
    db: deps.db,
    signal: deps.signal,
    emptyAnswer: options.emptyAnswer,
  };
  // an unreadable reply (truncated JSON, HTML, "maybe", prose) is asked once more, then recorded
  for (let attempt = 0; ; attempt++) {
    try {
      const e = await evaluateAnswer(
        {
          key: `sample-${s.id}`,
          source: s.source,
          input: s.input,
          candidate: s.candidate,
          reference: s.reference,
          premium: s.premium,
        },
        ctx,
      );
      if (e.kind === 'verdict' && e.row.provider !== 'offline') state.health.replied();
      return e;
    } catch (err) {
      if (err instanceof BudgetStop) return { kind: 'release' };
      if (!(err instanceof JudgeError)) {
        state.fatal ??= err;
        return { kind: 'release' };
      }
      if (err.kind === 'aborted' && deps.signal?.aborted) return { kind: 'release' };
      state.health.failed(err);
      if (err.kind === 'malformed') {
        state.health.replied();
        if (attempt === 0 && !deps.signal?.aborted) continue;
        deps.log?.(`sample ${s.id} marked judge_error: ${err.message}`);
        return { kind: 'judge_error', excerpt: redactSecrets(err.excerpt ?? '').slice(0, 200) };
      }
      if (!err.retryable) state.fatal ??= err;
      else {
        state.failures++;
        deps.log?.(`sample ${s.id} stays pending: ${err.message}`);
      }
      return { kind: 'release' };
    }
  }
}

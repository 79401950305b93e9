import type { Queryable } from '../db/db.js';
import { buildJudgePrompt } from './build-judge-prompt.js';
import { emptyAnswerOutcome, isEmptyAnswer, type EmptyAnswerPolicy } from './empty-answer.js';
import { compareAnswer, type ComparatorName } from './comparators/index.js';
import type { JudgeBudget } from './judge-budget.js';
import type { JudgeClient } from './judge-client.js';
import type { VerdictRow } from './judge-queries.js';
import { parseVerdict } from './parse-verdict.js';
import { pricedCall, type CallLedger } from './priced-call.js';
import { referenceAnswer } from './reference-answer.js';
import { loadRubric } from './rubric.js';

/** One answer to judge: what was asked, what was answered, and the recorded reference (if any). */
export interface AnswerToJudge {
  key: string;
  source: 'routing' | 'cache';
  input: string;
  candidate: string | null;
  reference: string | null;
}

/** How to judge: the comparator of the class, and optionally a reference model under a budget. */
export interface EvaluateContext {
  comparator: ComparatorName;
  f1Threshold?: number;
  client?: JudgeClient;
  budget: JudgeBudget;
  ledger: CallLedger & { saved: number };
  /** Where reference answers are cached (LLM judging without a recorded reference). */
  db?: Queryable;
  signal?: AbortSignal;
  /** Let a comparator match pass without a call (default true; off for pairwise gold sets). */
  cheapFirst?: boolean;
  /** An empty or missing answer fails (default) or is unjudgeable (config judge.emptyAnswer). */
  emptyAnswer?: EmptyAnswerPolicy;
}

/** A verdict, or why the answer cannot be judged. */
export type Evaluation = { kind: 'verdict'; row: VerdictRow } | { kind: 'unjudgeable'; reason: string };

/**
 * Judges one answer, cheapest first. Offline: the class comparator against the recorded reference.
 * With a reference model: a decisive comparator match passes without a call; otherwise the rubric
 * prompt is sent (after fetching the model's own reference answer when none was recorded).
 * Throws JudgeError (retryable or not) or BudgetStop; the caller returns the sample to the queue.
 */
export async function evaluateAnswer(a: AnswerToJudge, ctx: EvaluateContext): Promise<Evaluation> {
  if (a.candidate === null || isEmptyAnswer(a.candidate)) return emptyAnswerOutcome(ctx.emptyAnswer);
  if (!ctx.client) return offline(a.candidate, a.reference, ctx);
  let reference = a.reference;
  if (reference === null || reference.trim() === '') {
    if (!ctx.db) return { kind: 'unjudgeable', reason: 'no reference recorded' };
    reference = (await referenceAnswer(ctx.db, ctx.client, ctx.budget, ctx.ledger, a.input, ctx.signal)).answer;
  }
  const cmp = compareAnswer(ctx.comparator, a.candidate, reference, ctx.f1Threshold);
  // only exact agreement is decisive: a partial overlap (token F1 0.6) may still be a wrong answer
  if (cmp.value === 1 && ctx.cheapFirst !== false) {
    ctx.ledger.saved++;
    return verdict('pass', 'offline', null, cmp.name, cmp.reason);
  }
  const rubric = loadRubric(a.source === 'cache' ? 'cache-hit-validity' : 'routing-agreement');
  const { system, prompt } = buildJudgePrompt(rubric, { input: a.input, candidate: a.candidate, reference });
  const { reply, costUsd } = await pricedCall(ctx.client, ctx.budget, ctx.ledger, { customId: a.key, system, prompt, maxTokens: rubric.maxTokens }, ctx.signal);
  const v = parseVerdict(reply.text);
  return {
    kind: 'verdict',
    row: { verdict: v.verdict, provider: ctx.client.provider, model: reply.model, method: rubric.name, reason: v.reason, inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens, costUsd },
  };
}

function offline(candidate: string, reference: string | null, ctx: EvaluateContext): Evaluation {
  if (reference === null || reference.trim() === '') return { kind: 'unjudgeable', reason: 'no reference recorded (the offline judge needs one)' };
  const cmp = compareAnswer(ctx.comparator, candidate, reference, ctx.f1Threshold);
  if (cmp.pass === null) return { kind: 'unjudgeable', reason: `${cmp.name}: ${cmp.reason}` };
  return verdict(cmp.pass ? 'pass' : 'fail', 'offline', null, cmp.name, cmp.reason);
}

function verdict(v: 'pass' | 'fail', provider: string, model: string | null, method: string, reason: string): Evaluation {
  return { kind: 'verdict', row: { verdict: v, provider, model, method, reason, inputTokens: null, outputTokens: null, costUsd: 0 } };
}

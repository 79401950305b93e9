import type { Queryable } from '../db/db.js';
import { buildJudgePrompt } from './build-judge-prompt.js';
import { cacheComparatorFor, compareAnswer, type ComparatorName } from './comparators/index.js';
import { emptyAnswerOutcome, isEmptyAnswer, type EmptyAnswerPolicy } from './empty-answer.js';
import type { JudgeBudget } from './judge-budget.js';
import type { JudgeClient } from './judge-client.js';
import type { VerdictRow } from './judge-queries.js';
import { parseVerdict } from './parse-verdict.js';
import { pricedCall, type CallLedger } from './priced-call.js';
import { describePair, judgePair } from './pairwise/judge-pair.js';
import { referenceAnswer } from './reference-answer.js';
import { loadRubric } from './rubric.js';

/** One answer to judge: what was asked, what was answered, and the recorded reference (if any). */
export interface AnswerToJudge {
  key: string;
  source: 'routing' | 'cache';
  input: string;
  candidate: string | null;
  reference: string | null;
  /** The premium model's answer to the same request; judged pairwise against it when no reference was recorded. */
  premium?: string | null;
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
  /** Judge cache hits with `comparator` as given too (calibration measures token F1 on cache hits this way). */
  exactComparator?: boolean;
  /** An empty or missing answer fails (default) or is unjudgeable (config judge.emptyAnswer). */
  emptyAnswer?: EmptyAnswerPolicy;
}

/** A verdict, or why the answer cannot be judged. */
export type Evaluation = { kind: 'verdict'; row: VerdictRow } | { kind: 'unjudgeable'; reason: string };

/**
 * Judges one answer, cheapest first. Offline: the class comparator against the recorded reference.
 * With a reference model: a decisive comparator match passes without a call; otherwise the rubric
 * prompt is sent (after fetching the model's own reference answer when none was recorded). Without a
 * reference but with the premium model's answer, the two are compared pairwise in both orders.
 * Throws JudgeError (retryable or not) or BudgetStop; the caller returns the sample to the queue.
 */
export async function evaluateAnswer(a: AnswerToJudge, context: EvaluateContext): Promise<Evaluation> {
  if (a.candidate === null || isEmptyAnswer(a.candidate)) return emptyAnswerOutcome(context.emptyAnswer);
  // a cache hit is judged by what changed, not by how many tokens agree
  const ctx =
    a.source === 'cache' && !context.exactComparator
      ? { ...context, comparator: cacheComparatorFor(context.comparator) }
      : context;
  const pairwise = isBlank(a.reference) && !isBlank(a.premium);
  if (!ctx.client)
    return pairwise
      ? {
          kind: 'unjudgeable',
          reason:
            'no reference recorded; the premium answer can only be compared pairwise by a reference model (--judge anthropic|openai)',
        }
      : offline(a.candidate, a.reference, ctx);
  if (pairwise && a.candidate.trim() === a.premium!.trim() && ctx.cheapFirst !== false) {
    // the very answer the premium model gave cannot be worse than it
    ctx.ledger.saved++;
    return verdict('pass', 'offline', null, 'pairwise-preference', 'identical to the premium answer');
  }
  if (pairwise) return evaluatePairwise(a.key, a.input, a.candidate, a.premium!, ctx.client, ctx);
  let reference = a.reference;
  if (reference === null || reference.trim() === '') {
    if (!ctx.db) return { kind: 'unjudgeable', reason: 'no reference recorded' };
    reference = (await referenceAnswer(ctx.db, ctx.client, ctx.budget, ctx.ledger, a.input, ctx.signal)).answer;
  }
  // only exact agreement is decisive: a partial overlap (token F1 0.6) or a cached answer that merely
  // survived cache-answer's checks may still be a wrong answer
  const cmp = compareAnswer(
    ctx.comparator === 'cache-answer' ? 'token-f1' : ctx.comparator,
    a.candidate,
    reference,
    ctx.f1Threshold,
  );
  if (cmp.value === 1 && ctx.cheapFirst !== false) {
    ctx.ledger.saved++;
    return verdict('pass', 'offline', null, cmp.name, cmp.reason);
  }
  const rubric = loadRubric(a.source === 'cache' ? 'cache-hit-validity' : 'routing-agreement');
  const { system, prompt } = buildJudgePrompt(rubric, { input: a.input, candidate: a.candidate, reference });
  const { reply, costUsd } = await pricedCall(
    ctx.client,
    ctx.budget,
    ctx.ledger,
    { customId: a.key, system, prompt, maxTokens: rubric.maxTokens },
    ctx.signal,
  );
  const v = parseVerdict(reply.text);
  return {
    kind: 'verdict',
    row: {
      verdict: v.verdict,
      provider: ctx.client.provider,
      model: reply.model,
      method: rubric.name,
      reason: v.reason,
      inputTokens: reply.usage.inputTokens,
      outputTokens: reply.usage.outputTokens,
      costUsd,
    },
  };
}

/** No reference but the premium model's answer: the reference model compares the two in both orders. */
async function evaluatePairwise(
  key: string,
  input: string,
  served: string,
  premium: string,
  client: JudgeClient,
  ctx: EvaluateContext,
): Promise<Evaluation> {
  const j = await judgePair(
    { key, input, served, premium },
    { client, budget: ctx.budget, ledger: ctx.ledger, db: ctx.db, signal: ctx.signal },
  );
  return {
    kind: 'verdict',
    row: {
      verdict: j.verdict,
      provider: client.provider,
      model: j.model,
      method: 'pairwise-preference',
      reason: describePair(j),
      inputTokens: j.inputTokens,
      outputTokens: j.outputTokens,
      costUsd: j.costUsd,
    },
  };
}

function isBlank(s: string | null | undefined): boolean {
  return s === null || s === undefined || s.trim() === '';
}

function offline(candidate: string, reference: string | null, ctx: EvaluateContext): Evaluation {
  if (reference === null || reference.trim() === '')
    return { kind: 'unjudgeable', reason: 'no reference recorded (the offline judge needs one)' };
  const cmp = compareAnswer(ctx.comparator, candidate, reference, ctx.f1Threshold);
  if (cmp.pass === null && cmp.missing) {
    // a response that stops before its answer failed the user like an empty one (judge.emptyAnswer)
    if (ctx.emptyAnswer === 'unjudgeable') return { kind: 'unjudgeable', reason: `${cmp.name}: ${cmp.reason}` };
    return verdict('fail', 'offline', null, cmp.name, `no final answer: ${cmp.reason} (judge.emptyAnswer: fail)`);
  }
  if (cmp.pass === null) return { kind: 'unjudgeable', reason: `${cmp.name}: ${cmp.reason}` };
  return verdict(cmp.pass ? 'pass' : 'fail', 'offline', null, cmp.name, cmp.reason);
}

function verdict(
  v: 'pass' | 'fail',
  provider: string,
  model: string | null,
  method: string,
  reason: string,
): Evaluation {
  return {
    kind: 'verdict',
    row: { verdict: v, provider, model, method, reason, inputTokens: null, outputTokens: null, costUsd: 0 },
  };
}

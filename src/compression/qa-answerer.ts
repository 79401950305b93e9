import type { JudgeBudget } from '../judge/judge-budget.js';
import type { JudgeClient, JudgeRequest } from '../judge/judge-client.js';
import { estimateCallCostUsd, pricedCall, type CallLedger } from '../judge/priced-call.js';

/** Answers a question from a context with the reference model; returns the answer text. */
export type QaAnswerer = (
  input: { customId: string; context: string; question: string },
  signal?: AbortSignal,
) => Promise<string>;

const SYSTEM =
  'Answer the question using only the context. Reply with the shortest span or phrase that answers it, nothing else.';
const DEFAULT_MAX_TOKENS = 64;

/** The request the answerer sends: the context delimited as data, then the question. */
export function answerRequest(
  input: { customId: string; context: string; question: string },
  maxTokens = DEFAULT_MAX_TOKENS,
): JudgeRequest {
  return {
    customId: input.customId,
    system: SYSTEM,
    prompt: `<context>\n${input.context}\n</context>\n\nQuestion: ${input.question}\nAnswer:`,
    maxTokens,
  };
}

/**
 * Worst-case cost of answering every item once from its full context and `callsPerItem - 1` more
 * times from compressed ones (never longer than the full context): an upper bound of the run.
 */
export function worstCaseAnswerCostUsd(
  model: string,
  items: { id: string; context: string; question: string }[],
  callsPerItem: number,
  maxTokens = DEFAULT_MAX_TOKENS,
): number {
  return items.reduce(
    (sum, it) =>
      sum +
      callsPerItem *
        estimateCallCostUsd(
          model,
          answerRequest({ customId: it.id, context: it.context, question: it.question }, maxTokens),
        ),
    0,
  );
}

/**
 * A QaAnswerer over the JudgeClient port (real-time `complete`). The reply is trimmed and used as
 * the prediction for exact match and token F1. With a budget, each call is estimated first and
 * never sent when it would pass the cap (BudgetStop), and the ledger counts calls and real cost.
 */
export function createJudgeAnswerer(
  judge: JudgeClient,
  options: { maxTokens?: number; budget?: JudgeBudget; ledger?: CallLedger } = {},
): QaAnswerer {
  return async (input, signal) => {
    const req = answerRequest(input, options.maxTokens);
    const reply = options.budget
      ? (await pricedCall(judge, options.budget, options.ledger ?? { calls: 0, costUsd: 0 }, req, signal)).reply
      : await judge.complete(req, { signal });
    return reply.text.trim();
  };
}

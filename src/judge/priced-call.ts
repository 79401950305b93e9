import { DriftwatchError, JudgeError } from '../errors.js';
import { countTokens } from '../routing/count-tokens.js';
import { callCostUsd, findPrice } from '../routing/price-catalog.js';
import type { JudgeBudget } from './judge-budget.js';
import type { JudgeClient, JudgeReply, JudgeRequest } from './judge-client.js';

/** Thrown when the next call would pass the run's cost cap; the sample goes back to pending. */
export class BudgetStop extends DriftwatchError {
  constructor(estimateUsd: number) {
    super('judge_budget', `the next judge call (up to $${estimateUsd.toFixed(6)}) would pass the cost cap`);
  }
}

// o200k counts differ from the providers' own tokenizers (Claude counts run ~10-20% higher), and
// chat formatting adds a few tokens per message; the estimate stays an upper bound with this margin.
const INPUT_MARGIN = 1.25;
const FORMAT_OVERHEAD_TOKENS = 16;

/** Worst-case cost in USD of one request: counted input tokens (with margin) plus maxTokens of output. */
export function estimateCallCostUsd(model: string, req: Pick<JudgeRequest, 'system' | 'prompt' | 'maxTokens'>, batch = false): number {
  if (!findPrice(model)) return 0;
  const input = Math.ceil((countTokens(req.system) + countTokens(req.prompt)) * INPUT_MARGIN) + FORMAT_OVERHEAD_TOKENS;
  return callCostUsd(model, input, req.maxTokens, { batch });
}

/** Real cost of a reply from its reported usage (0 for a model missing from the price catalog). */
export function replyCostUsd(model: string, reply: JudgeReply, batch = false): number {
  return findPrice(model) ? callCostUsd(model, reply.usage.inputTokens, reply.usage.outputTokens, { batch }) : 0;
}

/** Counts calls and cost across one run. */
export interface CallLedger {
  calls: number;
  costUsd: number;
}

/**
 * Sends one request if the budget allows: estimate, reserve, call, settle with the real usage.
 * Throws BudgetStop before sending when it would not fit; provider errors pass through (JudgeError).
 */
export async function pricedCall(client: JudgeClient, budget: JudgeBudget, ledger: CallLedger, req: JudgeRequest, signal?: AbortSignal): Promise<{ reply: JudgeReply; costUsd: number }> {
  const estimate = estimateCallCostUsd(client.model, req);
  if (!budget.tryReserve(estimate)) throw new BudgetStop(estimate);
  let reply: JudgeReply;
  try {
    ledger.calls++;
    reply = await client.complete(req, { signal });
  } catch (err) {
    budget.settle(estimate, 0);
    if (err instanceof JudgeError) throw err;
    throw new JudgeError(`judge call ${req.customId} to ${client.provider} failed: ${(err as Error).message}`, { cause: err, retryable: true });
  }
  const costUsd = replyCostUsd(client.model, reply);
  budget.settle(estimate, costUsd);
  ledger.costUsd += costUsd;
  return { reply, costUsd };
}

import { DriftwatchError, JudgeError } from '../errors.js';
import { countTokens } from '../routing/count-tokens.js';
import { callCostUsd, findPrice } from '../routing/price-catalog.js';
import type { JudgeBudget } from './judge-budget.js';
import type { AttemptHooks, AttemptOutcome, JudgeClient, JudgeReply, JudgeRequest } from './judge-client.js';

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

/** Worst-case tokens of one request: counted input tokens (with margin) and maxTokens of output. */
export function estimateCallTokens(req: Pick<JudgeRequest, 'system' | 'prompt' | 'maxTokens'>): {
  inputTokens: number;
  outputTokens: number;
} {
  return {
    inputTokens: Math.ceil((countTokens(req.system) + countTokens(req.prompt)) * INPUT_MARGIN) + FORMAT_OVERHEAD_TOKENS,
    outputTokens: req.maxTokens,
  };
}

/** Worst-case cost in USD of one request: counted input tokens (with margin) plus maxTokens of output. */
export function estimateCallCostUsd(
  model: string,
  req: Pick<JudgeRequest, 'system' | 'prompt' | 'maxTokens'>,
  batch = false,
): number {
  if (!findPrice(model)) return 0;
  const t = estimateCallTokens(req);
  return callCostUsd(model, t.inputTokens, t.outputTokens, { batch });
}

/** Real cost of a reply from its reported usage (0 for a model missing from the price catalog). */
export function replyCostUsd(model: string, reply: JudgeReply, batch = false): number {
  return findPrice(model) ? callCostUsd(model, reply.usage.inputTokens, reply.usage.outputTokens, { batch }) : 0;
}

/** Counts calls and cost across one run; `unconfirmedUsd` is the part of costUsd kept for calls that may have been billed without an answer. */
export interface CallLedger {
  calls: number;
  costUsd: number;
  unconfirmedUsd?: number;
}

/**
 * Sends one request if the budget allows: estimate (scaled by what the provider reported so far),
 * reserve, call, settle with the real usage. Every SDK retry of an attempt that may have been billed
 * reserves again, and a call that ends without an answer after such an attempt keeps its reservation
 * as spent. Throws BudgetStop when the next attempt would not fit; provider errors pass through (JudgeError).
 */
export async function pricedCall(
  client: JudgeClient,
  budget: JudgeBudget,
  ledger: CallLedger,
  req: JudgeRequest,
  signal?: AbortSignal,
): Promise<{ reply: JudgeReply; costUsd: number }> {
  const priced = findPrice(client.model) !== undefined;
  const tokens = budget.scale(estimateCallTokens(req));
  const estimate = priced ? callCostUsd(client.model, tokens.inputTokens, tokens.outputTokens) : 0;
  if (!budget.tryReserve(estimate)) throw new BudgetStop(estimate);
  let held = true;
  let last: AttemptOutcome | undefined;
  let refused = false;
  let sunkUsd = 0;
  const attempts: AttemptHooks = {
    before(n) {
      // a retry after an answered error status (429, 4xx) reuses the reservation; after a timeout the
      // provider may have billed the attempt, so that reservation is spent and the retry needs its own
      if (n === 0 || last === undefined || last === 'not_billed') return true;
      budget.keep(estimate);
      sunkUsd += estimate;
      held = false;
      last = undefined;
      if (!budget.tryReserve(estimate)) {
        refused = true;
        return false;
      }
      held = true;
      return true;
    },
    after(outcome) {
      last = outcome;
    },
  };
  let reply: JudgeReply;
  ledger.calls++;
  try {
    reply = await client.complete(req, { signal, attempts });
  } catch (err) {
    if (held) {
      if (last === 'not_billed') budget.settle(estimate, 0);
      else {
        // timed out, reset, answered but unreadable, or a client that cannot tell: the provider may bill it
        budget.keep(estimate);
        sunkUsd += estimate;
      }
    }
    charge(ledger, sunkUsd, sunkUsd);
    if (refused) throw new BudgetStop(estimate);
    if (err instanceof JudgeError) throw err;
    throw new JudgeError(`judge call ${req.customId} to ${client.provider} failed: ${(err as Error).message}`, {
      cause: err,
      retryable: true,
    });
  }
  const costUsd = replyCostUsd(client.model, reply);
  budget.settle(estimate, costUsd);
  budget.observe(tokens, reply.usage);
  charge(ledger, costUsd + sunkUsd, sunkUsd);
  return { reply, costUsd };
}

function charge(ledger: CallLedger, usd: number, unconfirmedUsd: number): void {
  ledger.costUsd += usd;
  if (unconfirmedUsd > 0) ledger.unconfirmedUsd = (ledger.unconfirmedUsd ?? 0) + unconfirmedUsd;
}

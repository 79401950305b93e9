import { countTokens } from '../../routing/count-tokens.js';
import { callCostUsd } from '../../routing/price-catalog.js';
import type { JudgeRequest, JudgeUsage } from '../judge-client.js';

/** A hard spending cap for one judge run: reserve the worst case before a call, settle the actual after. */
export interface Budget {
  /** Reserves the estimated worst-case cost of `req`; false (nothing reserved) if it would cross the cap. */
  tryReserve(req: JudgeRequest): boolean;
  /** Replaces the reservation for `req` with the cost of its actual usage; returns that cost. */
  settle(req: JudgeRequest, usage: JudgeUsage): number;
  /** Gives back the reservation of a call that cost nothing (failed before billing). */
  release(req: JudgeRequest): void;
  /** Settled cost so far in USD. */
  spentUsd(): number;
  /** Settled plus reserved. */
  committedUsd(): number;
}

/**
 * Estimate = countTokens(system + prompt) input (+20% and 16 tokens of message framing, since
 * o200k undercounts other vendors' tokenizers) + maxTokens output, at the model's catalog price
 * (batch discount when `batch`). Unlimited when maxCostUsd is undefined.
 */
export function createBudget(o: { model: string; maxCostUsd?: number; batch?: boolean }): Budget {
  const reserved = new Map<string, number>();
  let spent = 0;
  let held = 0;
  const estimate = (r: JudgeRequest) => callCostUsd(o.model, estimateInputTokens(r), r.maxTokens, { batch: o.batch });
  const unhold = (r: JudgeRequest) => { held -= reserved.get(r.customId) ?? 0; reserved.delete(r.customId); };
  return {
    tryReserve(req) {
      if (o.maxCostUsd === undefined) return true; // no cap: skip the token count
      const cost = estimate(req);
      if (o.maxCostUsd !== undefined && spent + held + cost > o.maxCostUsd + 1e-12) return false;
      reserved.set(req.customId, cost);
      held += cost;
      return true;
    },
    settle(req, usage) {
      unhold(req);
      const cost = callCostUsd(o.model, usage.inputTokens, usage.outputTokens, { batch: o.batch });
      spent += cost;
      return cost;
    },
    release: unhold,
    spentUsd: () => spent,
    committedUsd: () => spent + held,
  };
}

/** Worst-case input tokens of a request: o200k count with a 20% margin plus message framing. */
export function estimateInputTokens(r: JudgeRequest): number {
  return Math.ceil((countTokens(r.system) + countTokens(r.prompt)) * 1.2) + 16;
}

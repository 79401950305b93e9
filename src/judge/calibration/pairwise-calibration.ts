import pLimit from 'p-limit';
import { JudgeError } from '../../errors.js';
import { wilsonInterval } from '../../stats/binomial-interval.js';
import type { JudgeBudget } from '../judge-budget.js';
import type { JudgeClient } from '../judge-client.js';
import type { Preferred } from '../pairwise/combine-orders.js';
import { judgePair } from '../pairwise/judge-pair.js';
import { BudgetStop, type CallLedger } from '../priced-call.js';
import type { GoldPair } from './gold-sets.js';

/** Agreement with the gold preference: pairs where the judge picked the gold-better output, of those judged. */
export interface Agreement {
  agree: number;
  /** Pairs judged (in both orders). */
  n: number;
  rate: number | null;
  lower: number;
  upper: number;
  /** Pairs the judge called a tie in this order (or, combined, that end as a tie). */
  ties: number;
}

/** The pairwise judge on gold preferences: each order alone, both combined, and its position bias. */
export interface PairwiseCalibration {
  /** output_1 shown as answer A. */
  output1First: Agreement;
  /** output_2 shown as answer A (the swapped order). */
  output2First: Agreement;
  /** The verdict driftwatch uses: a side wins only when preferred in both orders; the rest are ties. */
  combined: Agreement & { inconsistent: number; wrong: number };
  /** Of the non-tie picks over both orders, the share that chose the answer shown first (0.5 = no position bias). */
  firstPosition: { rate: number | null; lower: number; upper: number; n: number };
  skipped: number;
}

/** One judged pair: the preference in each order and combined, from output_1's side ('served' = output_1). */
type PairResult =
  | { servedFirst: Preferred; premiumFirst: Preferred; preferred: Preferred; consistent: boolean }
  | 'skipped';

/**
 * Runs the production pairwise judge (judgePair: both orders, same rubric) over gold pairs, with
 * output_1 as the "served" answer and output_2 as the "premium" one, and measures agreement with the
 * gold label per order and combined, each with a Wilson 95% interval. No reply cache (a drift check
 * must ask again). Budget stops and retryable errors skip the pair.
 */
export async function calibratePairwise(
  pairs: GoldPair[],
  ctx: {
    client: JudgeClient;
    budget: JudgeBudget;
    ledger: CallLedger;
    concurrency?: number;
    log?: (m: string) => void;
  },
): Promise<PairwiseCalibration> {
  const limit = pLimit(ctx.concurrency ?? 8);
  const results = await Promise.all(pairs.map((p) => limit(() => judgeGoldPair(p, ctx))));
  return tallyPairwise(pairs, results);
}

async function judgeGoldPair(p: GoldPair, ctx: Parameters<typeof calibratePairwise>[1]): Promise<PairResult> {
  if (ctx.budget.stopped) return 'skipped';
  try {
    const j = await judgePair(
      { key: p.id, input: p.input, served: p.output1, premium: p.output2 },
      { client: ctx.client, budget: ctx.budget, ledger: ctx.ledger },
    );
    return {
      servedFirst: j.served.servedFirst,
      premiumFirst: j.served.premiumFirst,
      preferred: j.preferred,
      consistent: j.consistent,
    };
  } catch (err) {
    if (err instanceof BudgetStop) return 'skipped';
    if (err instanceof JudgeError && err.retryable) {
      ctx.log?.(`${p.id}: ${err.message}`);
      return 'skipped';
    }
    throw err;
  }
}

/** Pure: per-order and combined agreement with the gold labels, and the share of picks for position A. */
export function tallyPairwise(pairs: GoldPair[], results: PairResult[]): PairwiseCalibration {
  const gold = (p: GoldPair): Preferred => (p.label === 1 ? 'served' : 'premium');
  const judged = pairs
    .map((p, i) => ({ p, r: results[i] }))
    .filter((x): x is { p: GoldPair; r: Exclude<PairResult, 'skipped'> } => x.r !== 'skipped');
  const agreement = (pick: (r: Exclude<PairResult, 'skipped'>) => Preferred): Agreement => {
    const agree = judged.filter((x) => pick(x.r) === gold(x.p)).length;
    const w = wilsonInterval(agree, judged.length, 0.95);
    return {
      agree,
      n: judged.length,
      rate: w.rate,
      lower: w.lower,
      upper: w.upper,
      ties: judged.filter((x) => pick(x.r) === 'tie').length,
    };
  };
  const combined = agreement((r) => r.preferred);
  const wrong = judged.filter((x) => x.r.preferred !== 'tie' && x.r.preferred !== gold(x.p)).length;
  // position A is output_1 in the first order ('served') and output_2 in the second ('premium')
  const picks = judged
    .flatMap((x) => [
      x.r.servedFirst === 'tie' ? null : x.r.servedFirst === 'served',
      x.r.premiumFirst === 'tie' ? null : x.r.premiumFirst === 'premium',
    ])
    .filter((v): v is boolean => v !== null);
  const first = wilsonInterval(picks.filter(Boolean).length, picks.length, 0.95);
  return {
    output1First: agreement((r) => r.servedFirst),
    output2First: agreement((r) => r.premiumFirst),
    combined: { ...combined, inconsistent: judged.filter((x) => !x.r.consistent).length, wrong },
    firstPosition: { rate: first.rate, lower: first.lower, upper: first.upper, n: picks.length },
    skipped: results.length - judged.length,
  };
}

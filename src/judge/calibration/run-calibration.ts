import pLimit from 'p-limit';
import type { Db } from '../../db/db.js';
import { JudgeError } from '../../errors.js';
import { wilsonInterval } from '../../stats/binomial-interval.js';
import type { ComparatorName } from '../comparators/index.js';
import { evaluateAnswer, type EvaluateContext } from '../evaluate-sample.js';
import { JudgeBudget } from '../judge-budget.js';
import type { JudgeClient } from '../judge-client.js';
import { BudgetStop } from '../priced-call.js';
import { CALIBRATION_SETS, spread } from './calibration-sets.js';
import { loadLlmbarPairs, type GoldItem, type GoldSetName } from './gold-sets.js';
import { calibratePairwise, type PairwiseCalibration } from './pairwise-calibration.js';

/** Measured judge error rates on one gold set, each with its sample size and Wilson 95% interval. */
export interface CalibrationResult {
  dataset: GoldSetName;
  method: string;
  provider: 'offline' | 'anthropic' | 'openai';
  model: string | null;
  /** Items judged (unjudgeable and budget-skipped items excluded). */
  n: number;
  counts: {
    truePass: number;
    falseFlag: number;
    trueFlag: number;
    missed: number;
    unjudgeable: number;
    skipped: number;
  };
  /** P(flag | correct answer), over the correct answers. */
  fp: { rate: number | null; lower: number; upper: number; n: number };
  /** P(pass | wrong answer), over the wrong answers. */
  fn: { rate: number | null; lower: number; upper: number; n: number };
  calls: number;
  costUsd: number;
  stoppedByBudget: boolean;
  /** Why the set was not run (e.g. pairwise preference needs a reference model). */
  skippedReason?: string;
  /** LLMBar with a reference model: agreement with the gold preference per order and combined. */
  pairwise?: PairwiseCalibration;
  /** Who made the labels; `independent` when neither this comparator nor one sharing its method made them. */
  labels: { by: string; independent: boolean };
}

/** Options of judge-calibrate. */
export interface CalibrationOptions {
  datasets: GoldSetName[];
  /** Judge at most this many items per set (spread evenly), to bound LLM cost. */
  limit?: number;
  maxCostUsd?: number;
  concurrency?: number;
  /** false: measure only (a drift check), do not store the result as the judge's calibration. */
  store?: boolean;
}

/** Offline comparators no bundled labelled set measures: their rates come from review or config. */
export const UNMEASURED_COMPARATORS: ComparatorName[] = ['exact-label', 'json-fields'];

/**
 * Runs the configured judge over bundled gold sets and stores false-positive / false-negative rates
 * in judge_calibrations (one row per set and method). Offline, every comparator a set measures is
 * run (GSM8K: numeric-answer against RouteLLM's labels and against the hand-checked subset; cache
 * pairs: cache-answer and token F1); LLMBar's pairwise preferences need a reference model and are
 * skipped offline, with the reason. Each result says who made its labels.
 */
export async function runCalibration(
  deps: { db: Db; client?: JudgeClient; log?: (m: string) => void },
  options: CalibrationOptions,
): Promise<CalibrationResult[]> {
  const budget = new JudgeBudget(options.maxCostUsd);
  const out: CalibrationResult[] = [];
  for (const name of options.datasets) {
    const set = CALIBRATION_SETS[name];
    if (name === 'llmbar' && deps.client) {
      const base = {
        dataset: name,
        method: set.llmMethod,
        provider: deps.client.provider,
        model: deps.client.model ?? null,
        labels: set.labels,
      };
      const result = await runPairwiseSet(deps.client, budget, base, options, deps.log);
      if (options.store !== false) await storeCalibration(deps.db, result);
      out.push(result);
      continue;
    }
    // offline, every comparator the set measures; with a reference model, the model (its shortcut uses the first comparator)
    // a comparator measured on cache hits that is not the cache comparator is stored as "<name>/cache": its rates there say nothing of routed answers
    const runs = deps.client
      ? [{ method: set.llmMethod, comparator: set.comparators[0] }]
      : set.comparators.map((c, i) => ({
          method: name === 'cache-pairs' && i > 0 ? `${c}/cache` : (c as string),
          comparator: c,
        }));
    for (const run of runs) {
      const base = {
        dataset: name,
        method: run.method,
        provider: deps.client?.provider ?? ('offline' as const),
        model: deps.client?.model ?? null,
        labels: set.labels,
      };
      if (set.needsModel && !deps.client) {
        out.push({
          ...base,
          ...emptyResult(),
          skippedReason: 'pairwise preference needs a reference model (--judge anthropic|openai)',
        });
        continue;
      }
      const items = spread(set.load(), options.limit, set.groupSize);
      const ledger = { calls: 0, costUsd: 0, saved: 0 };
      const ctx: EvaluateContext = {
        comparator: run.comparator,
        client: deps.client,
        budget,
        ledger,
        db: deps.db,
        cheapFirst: set.cheapFirst,
        exactComparator: !deps.client,
      };
      const limit = pLimit(options.concurrency ?? 8);
      const verdicts = await Promise.all(items.map((it) => limit(() => judgeGold(it, ctx, deps.log))));
      const r = tally(items, verdicts);
      const result: CalibrationResult = {
        ...base,
        ...r,
        calls: ledger.calls,
        costUsd: ledger.costUsd,
        stoppedByBudget: budget.stopped,
      };
      if (options.store !== false) await storeCalibration(deps.db, result);
      out.push(result);
      deps.log?.(
        `${name} (${run.method}): fp ${fmt(result.fp.rate)} (n=${result.fp.n}), fn ${fmt(result.fn.rate)} (n=${result.fn.n})`,
      );
    }
  }
  return out;
}

async function judgeGold(
  item: GoldItem,
  ctx: EvaluateContext,
  log?: (m: string) => void,
): Promise<'pass' | 'fail' | 'unjudgeable' | 'skipped'> {
  if (ctx.budget.stopped) return 'skipped';
  try {
    const e = await evaluateAnswer(
      {
        key: item.id,
        source: item.source ?? 'routing',
        input: item.input,
        candidate: item.candidate,
        reference: item.reference,
      },
      ctx,
    );
    return e.kind === 'verdict' ? e.row.verdict : 'unjudgeable';
  } catch (err) {
    if (err instanceof BudgetStop) return 'skipped';
    if (err instanceof JudgeError && err.retryable) {
      log?.(`${item.id}: ${err.message}`);
      return 'skipped';
    }
    throw err;
  }
}

function tally(
  items: GoldItem[],
  verdicts: ('pass' | 'fail' | 'unjudgeable' | 'skipped')[],
): Pick<CalibrationResult, 'n' | 'counts' | 'fp' | 'fn'> {
  const c = { truePass: 0, falseFlag: 0, trueFlag: 0, missed: 0, unjudgeable: 0, skipped: 0 };
  verdicts.forEach((v, i) => {
    const correct = items[i].label === 'correct';
    if (v === 'unjudgeable') c.unjudgeable++;
    else if (v === 'skipped') c.skipped++;
    else if (correct) v === 'pass' ? c.truePass++ : c.falseFlag++;
    else v === 'fail' ? c.trueFlag++ : c.missed++;
  });
  const rate = (k: number, n: number) => {
    const w = wilsonInterval(k, n);
    return { rate: w.rate, lower: w.lower, upper: w.upper, n };
  };
  return {
    n: c.truePass + c.falseFlag + c.trueFlag + c.missed,
    counts: c,
    fp: rate(c.falseFlag, c.truePass + c.falseFlag),
    fn: rate(c.missed, c.trueFlag + c.missed),
  };
}

/**
 * LLMBar through the pairwise judge (both orders). As fp/fn: each pair is two cases, the worse output
 * served against the better as premium (should fail: missed unless the judge prefers the better in
 * both orders) and the better served against the worse (should pass: flagged only when the judge
 * prefers the worse in both orders). `limit` counts those cases, as for the other sets.
 */
async function runPairwiseSet(
  client: JudgeClient,
  budget: JudgeBudget,
  base: Pick<CalibrationResult, 'dataset' | 'method' | 'provider' | 'model' | 'labels'>,
  options: CalibrationOptions,
  log?: (m: string) => void,
): Promise<CalibrationResult> {
  const pairs = spread(
    loadLlmbarPairs(),
    options.limit === undefined ? undefined : Math.max(1, Math.floor(options.limit / 2)),
    1,
  );
  const ledger = { calls: 0, costUsd: 0 };
  const pw = await calibratePairwise(pairs, { client, budget, ledger, concurrency: options.concurrency, log });
  const n = pw.combined.n;
  const counts = {
    truePass: n - pw.combined.wrong,
    falseFlag: pw.combined.wrong,
    trueFlag: pw.combined.agree,
    missed: n - pw.combined.agree,
    unjudgeable: 0,
    skipped: 2 * pw.skipped,
  };
  const rate = (k: number) => {
    const w = wilsonInterval(k, n);
    return { rate: w.rate, lower: w.lower, upper: w.upper, n };
  };
  log?.(
    `llmbar pairwise: combined agreement ${fmt(pw.combined.rate)} of ${n} pairs, ${pw.combined.ties} ties (${pw.combined.inconsistent} inconsistent orders)`,
  );
  return {
    ...base,
    n: 2 * n,
    counts,
    fp: rate(counts.falseFlag),
    fn: rate(counts.missed),
    calls: ledger.calls,
    costUsd: ledger.costUsd,
    stoppedByBudget: budget.stopped,
    pairwise: pw,
  };
}

function emptyResult(): Omit<CalibrationResult, 'dataset' | 'method' | 'provider' | 'model' | 'labels'> {
  return { ...tally([], []), calls: 0, costUsd: 0, stoppedByBudget: false };
}

async function storeCalibration(db: Db, r: CalibrationResult): Promise<void> {
  await db.query(
    `insert into judge_calibrations (source, dataset, task_type, method, provider, model, n, fp, fn, details) values ('gold', $1, null, $2, $3, $4, $5, $6, $7, $8)`,
    [
      r.dataset,
      r.method,
      r.provider,
      r.model,
      r.n,
      r.fp.rate,
      r.fn.rate,
      JSON.stringify({
        counts: r.counts,
        fp: r.fp,
        fn: r.fn,
        calls: r.calls,
        costUsd: r.costUsd,
        stoppedByBudget: r.stoppedByBudget,
        labels: r.labels,
        ...(r.pairwise ? { pairwise: r.pairwise } : {}),
      }),
    ],
  );
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

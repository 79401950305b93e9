import { InputError } from '../../errors.js';
import { GOLD_SETS } from '../../judge/calibration/gold-sets.js';
import type { Queryable } from '../../db/db.js';
import {
  checkJudgeDrift,
  DRIFT_ALPHA,
  loadCalibrationBaseline,
  type DriftCheck,
} from '../../judge/calibration/judge-drift.js';
import {
  runCalibration,
  UNMEASURED_COMPARATORS,
  type CalibrationResult,
} from '../../judge/calibration/run-calibration.js';
import { defineCommand } from '../command.js';
import { judgeClientFromFlags } from './judge.js';
import { judgeCalibrateSpec } from './judge-calibrate-spec.js';
import { formatPercent } from '../../text/format-percent.js';

const pct = (x: number | null) => formatPercent(x, 2, 'n/a');

export const judgeCalibrateCommand = defineCommand(judgeCalibrateSpec, async (ctx, flags) => {
  const { dataset, limit, check } = flags;
  const { config } = ctx.config();
  const maxCostUsd = flags.maxCostUsd ?? config.judge.maxCostUsd;
  const concurrency = flags.concurrency ?? config.judge.concurrency;
  const client = await judgeClientFromFlags(ctx, flags);
  const db = await ctx.db();
  const results = await runCalibration(
    { db, client, log: (m) => ctx.log(m) },
    { datasets: dataset === 'all' ? GOLD_SETS : [dataset], limit, maxCostUsd, concurrency, store: !check },
  );
  if (check) return driftOutput(db, results);
  const lines = results.flatMap((r) =>
    r.skippedReason
      ? [`  ${r.dataset}: skipped (${r.skippedReason})`]
      : [
          `  ${r.dataset} (${r.method}, ${r.provider}${r.model ? ` ${r.model}` : ''}): n=${r.n}  fp ${pct(r.fp.rate)} [${pct(r.fp.lower)}, ${pct(r.fp.upper)}] of ${r.fp.n} correct  fn ${pct(r.fn.rate)} [${pct(r.fn.lower)}, ${pct(r.fn.upper)}] of ${r.fn.n} wrong${r.counts.unjudgeable ? `  (${r.counts.unjudgeable} unjudgeable)` : ''}${r.stoppedByBudget ? '  (stopped by the budget)' : ''}; labels by ${r.labels.by}`,
          ...pairwiseLines(r),
        ],
  );
  const unmeasured = client
    ? []
    : [
        `  not measured: ${UNMEASURED_COMPARATORS.join(', ')} (no bundled labelled set; their rates come from review --import or escalation.classJudgeErrorRates)`,
      ];
  return {
    json: { results, unmeasured: client ? [] : UNMEASURED_COMPARATORS },
    text: ['judge calibration on labelled sets (95% Wilson intervals):', ...lines, ...unmeasured].join('\n'),
  };
});

/** Agreement with the gold preference per order and combined, each with its Wilson 95% interval. */
function pairwiseLines(r: CalibrationResult): string[] {
  const pw = r.pairwise;
  if (!pw) return [];
  const a = (x: { agree: number; n: number; rate: number | null; lower: number; upper: number; ties: number }) =>
    `${pct(x.rate)} [${pct(x.lower)}, ${pct(x.upper)}] (${x.agree} of ${x.n}, ${x.ties} ties)`;
  return [
    `    agreement with the gold preference, output_1 shown first: ${a(pw.output1First)}`,
    `    agreement with the gold preference, output_2 shown first: ${a(pw.output2First)}`,
    `    agreement with the gold preference, both orders combined: ${a(pw.combined)}; ${pw.combined.inconsistent} pairs with contradicting orders (ties)`,
    `    position bias: ${pct(pw.firstPosition.rate)} [${pct(pw.firstPosition.lower)}, ${pct(pw.firstPosition.upper)}] of ${pw.firstPosition.n} picks chose the answer shown first`,
  ];
}

/**
 * `--check`: the judge re-scores gold items and is compared with its stored calibration (nothing is
 * stored). Exit 3 when it moved, so a CI job can stop before `nightly --apply` acts on its verdicts.
 */
async function driftOutput(db: Queryable, results: CalibrationResult[]) {
  const checks: DriftCheck[] = [];
  const missing: string[] = [];
  for (const r of results.filter((x) => !x.skippedReason)) {
    const baseline = await loadCalibrationBaseline(db, r);
    if (baseline) checks.push(checkJudgeDrift(r, baseline));
    else missing.push(`${r.dataset} (${r.method}, ${r.provider}${r.model ? ` ${r.model}` : ''})`);
  }
  if (checks.length === 0) {
    throw new InputError(
      `--check: no stored calibration to compare with for ${missing.join(', ')}; run judge-calibrate without --check first`,
    );
  }
  const p = (x: number) => (x < 0.0001 ? '<0.0001' : x.toFixed(4));
  const rate = (r: DriftCheck['now']['fp']) => `${pct(r.rate)} [${pct(r.lower)}, ${pct(r.upper)}] of ${r.n}`;
  const lines = checks.flatMap((c) => [
    `  ${c.dataset} (${c.method}, ${c.provider}${c.model ? ` ${c.model}` : ''}) against its calibration of ${c.baseline.at}: ${c.moved ? 'MOVED' : 'steady'}`,
    `    fp ${rate(c.baseline.fp)} -> ${rate(c.now.fp)}  (Fisher exact p=${p(c.pFp)})`,
    `    fn ${rate(c.baseline.fn)} -> ${rate(c.now.fn)}  (Fisher exact p=${p(c.pFn)})`,
  ]);
  const moved = checks.some((c) => c.moved);
  const head = moved
    ? `the judge moved since its calibration (Fisher exact, ${DRIFT_ALPHA} overall): do not act on its verdicts until it is recalibrated or replaced`
    : 'the judge agrees with its stored calibration';
  const tail = missing.length ? [`  not checked (no stored calibration): ${missing.join(', ')}`] : [];
  return {
    json: { results, check: checks, moved },
    text: [head, ...lines, ...tail].join('\n'),
    exitCode: moved ? 3 : 0,
  };
}

import { InputError } from '../../errors.js';
import { GOLD_SETS, type GoldSetName } from '../../judge/calibration/gold-sets.js';
import { runCalibration } from '../../judge/calibration/run-calibration.js';
import { defineCommand } from '../command.js';
import { parseNumberFlag } from '../parse-flag.js';
import { judgeClientFromFlags } from './judge.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

export const judgeCalibrateCommand = defineCommand({
  name: 'judge-calibrate',
  summary: 'measure the judge\'s false-positive and false-negative rates on the bundled gold sets',
  usage: 'driftwatch judge-calibrate [--dataset gsm8k|llmbar|all] [--judge offline|anthropic|openai] [--model M] [--limit N] [--max-cost-usd N]',
  options: { dataset: { type: 'string' }, judge: { type: 'string' }, model: { type: 'string' }, limit: { type: 'string' }, 'max-cost-usd': { type: 'string' }, concurrency: { type: 'string' } },
  async run(ctx, values) {
    const ds = (values.dataset as string | undefined) ?? 'all';
    if (ds !== 'all' && !GOLD_SETS.includes(ds as GoldSetName)) throw new InputError(`--dataset expects ${GOLD_SETS.join(', ')} or all, got "${ds}"`);
    const { config } = ctx.config();
    const limit = parseNumberFlag('limit', values.limit, { min: 1 });
    const maxCostUsd = parseNumberFlag('max-cost-usd', values['max-cost-usd'], { min: 0 }) ?? config.judge.maxCostUsd;
    const concurrency = parseNumberFlag('concurrency', values.concurrency, { min: 1, max: 256 }) ?? config.judge.concurrency;
    const client = await judgeClientFromFlags(ctx, values);
    const db = await ctx.db();
    const results = await runCalibration({ db, client, log: (m) => ctx.log(m) }, { datasets: ds === 'all' ? GOLD_SETS : [ds as GoldSetName], limit, maxCostUsd, concurrency });
    const lines = results.map((r) =>
      r.skippedReason
        ? `  ${r.dataset}: skipped (${r.skippedReason})`
        : `  ${r.dataset} (${r.method}, ${r.provider}): n=${r.n}  fp ${pct(r.fp.rate)} [${pct(r.fp.lower)}, ${pct(r.fp.upper)}] of ${r.fp.n} correct  fn ${pct(r.fn.rate)} [${pct(r.fn.lower)}, ${pct(r.fn.upper)}] of ${r.fn.n} wrong${r.stoppedByBudget ? '  (stopped by the budget)' : ''}`,
    );
    return { json: { results }, text: ['judge calibration on gold sets:', ...lines].join('\n') };
  },
});

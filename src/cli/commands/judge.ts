import { InputError } from '../../errors.js';
import { loadJudgeRates } from '../../judge/judge-rates.js';
import { computeClassRates, type ClassRate } from '../../judge/compute-class-rates.js';
import { writeClassRates } from '../../runs/class-rates-store.js';
import { createJudgeClientForCli } from '../../judge/judge-client-factory.js';
import type { JudgeClient } from '../../judge/judge-client.js';
import { runBatchJudge } from '../../judge/run-batch-judge.js';
import { runJudge } from '../../judge/run-judge.js';
import { defineCommand, type CommandContext } from '../command.js';
import { parseNumberFlag } from '../parse-flag.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/** Builds the reference-model client for --judge, or undefined for the offline judge. */
export async function judgeClientFromFlags(ctx: CommandContext, values: Values): Promise<JudgeClient | undefined> {
  const { config } = ctx.config();
  const provider = (values.judge as string | undefined) ?? config.judge.provider ?? 'offline';
  if (!['offline', 'anthropic', 'openai'].includes(provider))
    throw new InputError(`--judge expects offline, anthropic or openai, got "${provider}"`);
  if (provider === 'offline') {
    if (values.model)
      throw new InputError('--model needs --judge anthropic or --judge openai; the offline judge uses no model');
    if (values.batch)
      throw new InputError('--batch needs --judge anthropic or --judge openai; the offline judge makes no calls');
    return undefined;
  }
  return createJudgeClientForCli({
    provider: provider as 'anthropic' | 'openai',
    model: (values.model as string | undefined) ?? config.judge.model,
    env: ctx.env,
  });
}

/** Renders class rates as text lines (raw rate, Wilson 95% interval, corrected rate when calibrated). */
export function formatClassRates(rates: ClassRate[]): string[] {
  const pct = (x: number | null) => (x === null ? '  n/a' : `${(x * 100).toFixed(1)}%`);
  return rates.map((r) => {
    const c = r.corrected
      ? `  corrected ${pct(r.corrected.rate)} [${pct(r.corrected.lower)}, ${pct(r.corrected.upper)}] (${r.corrected.from})`
      : '';
    return `  ${r.source.padEnd(15)} ${r.taskType.padEnd(24)} n=${String(r.n).padStart(5)} n_eff=${r.nEff.toFixed(0).padStart(5)} failures=${String(r.failures).padStart(4)}  ${pct(r.rate)} [${pct(r.lower)}, ${pct(r.upper)}]${c}`;
  });
}

export const judgeCommand = defineCommand({
  name: 'judge',
  summary: 'judge pending samples (offline comparators, or a reference model under a hard budget)',
  usage:
    'driftwatch judge [--judge offline|anthropic|openai] [--model M] [--batch] [--max-cost-usd N] [--concurrency N] [--limit N] [--retry-errors]',
  options: {
    judge: { type: 'string' },
    model: { type: 'string' },
    batch: { type: 'boolean' },
    'max-cost-usd': { type: 'string' },
    concurrency: { type: 'string' },
    limit: { type: 'string' },
    'retry-errors': { type: 'boolean' },
  },
  async run(ctx, values) {
    const { config } = ctx.config();
    const maxCostUsd = parseNumberFlag('max-cost-usd', values['max-cost-usd'], { min: 0 }) ?? config.judge.maxCostUsd;
    const concurrency =
      parseNumberFlag('concurrency', values.concurrency, { min: 1, max: 256 }) ?? config.judge.concurrency;
    const limit = parseNumberFlag('limit', values.limit, { min: 1 });
    const retryErrors = Boolean(values['retry-errors']);
    const client = await judgeClientFromFlags(ctx, values);
    const db = await ctx.db();
    const r =
      values.batch && client
        ? await runBatchJudge(
            { db, client, log: (m) => ctx.log(m) },
            {
              comparators: config.judge.comparators,
              emptyAnswer: config.judge.emptyAnswer,
              maxCostUsd,
              limit,
              retryErrors,
            },
          )
        : await runJudge(
            {
              db,
              client,
              now: () => ctx.now(),
              log: (m) => ctx.log(m),
              signal: ctx.signal,
              progress: ctx.judgeProgress?.(),
            },
            {
              comparators: config.judge.comparators,
              emptyAnswer: config.judge.emptyAnswer,
              maxCostUsd,
              concurrency: Math.round(concurrency),
              limit,
              retryErrors,
            },
          );
    const classes = await computeClassRates(db, {
      comparators: config.judge.comparators,
      judgeRates: await loadJudgeRates(db, config, { llmJudge: Boolean(client) }),
    });
    await writeClassRates(db, r.runId, 'cumulative', classes);
    const head = `judged ${r.judged} samples (${r.unjudgeable} unjudgeable, ${r.pending} pending) with the ${r.provider}${r.model ? ` ${r.model}` : ''} judge: ${r.calls} calls (${r.callsSaved} saved), $${r.costUsd.toFixed(4)}${r.stoppedByBudget ? ', stopped by the budget' : ''}`;
    const failed =
      r.callFailures.total > 0
        ? [
            `  ${r.callFailures.total} call(s) failed: ${Object.entries(r.callFailures.byCause)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}`,
          ]
        : [];
    const errors =
      r.judgeErrors > 0
        ? [
            `  ${r.judgeErrors} sample(s) marked judge_error (unreadable replies); rerun with --retry-errors to pay for them again`,
          ]
        : [];
    return { json: { ...r, classes }, text: [head, ...failed, ...errors, ...formatClassRates(classes)].join('\n') };
  },
});

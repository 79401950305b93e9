import { InputError } from '../../errors.js';
import { loadJudgeRates } from '../../judge/judge-rates.js';
import { computeClassRates, type ClassRate } from '../../judge/compute-class-rates.js';
import { writeClassRates } from '../../runs/class-rates-store.js';
import type { JudgeClient } from '../../judge/judge-client.js';
import { createJudgeClient } from '../../judge/providers/create-judge-client.js';
import { runBatchJudge } from '../../judge/run-batch-judge.js';
import { runJudge } from '../../judge/run-judge.js';
import { type CommandContext, defineCommand } from '../command.js';
import type { JudgeProviderFlag } from '../shared-flags.js';
import { judgeSpec } from './judge-spec.js';
import { formatPercent } from '../../text/format-percent.js';

/** Builds the reference-model client for --judge, or undefined for the offline judge. */
export async function judgeClientFromFlags(
  ctx: CommandContext,
  flags: { judge: JudgeProviderFlag | undefined; model: string | undefined; batch?: boolean },
): Promise<JudgeClient | undefined> {
  const { config } = ctx.config();
  const provider = flags.judge ?? config.judge.provider ?? 'offline';
  if (provider === 'offline') {
    if (flags.model)
      throw new InputError('--model needs --judge anthropic or --judge openai; the offline judge uses no model');
    if (flags.batch)
      throw new InputError('--batch needs --judge anthropic or --judge openai; the offline judge makes no calls');
    return undefined;
  }
  return createJudgeClient({
    provider,
    model: flags.model ?? config.judge.model,
    env: ctx.env,
  });
}

/** Renders class rates as text lines (raw rate, Wilson 95% interval, corrected rate when calibrated). */
export function formatClassRates(rates: ClassRate[]): string[] {
  const pct = (x: number | null) => formatPercent(x, 1, '  n/a');
  return rates.map((r) => {
    const c = r.corrected
      ? `  corrected ${pct(r.corrected.rate)} [${pct(r.corrected.lower)}, ${pct(r.corrected.upper)}] (${r.corrected.from})`
      : '';
    return `  ${r.source.padEnd(15)} ${r.taskType.padEnd(24)} n=${String(r.n).padStart(5)} n_eff=${r.nEff.toFixed(0).padStart(5)} failures=${String(r.failures).padStart(4)}  ${pct(r.rate)} [${pct(r.lower)}, ${pct(r.upper)}]${c}`;
  });
}

export const judgeCommand = defineCommand(judgeSpec, async (ctx, flags) => {
  const { config } = ctx.config();
  const maxCostUsd = flags.maxCostUsd ?? config.judge.maxCostUsd;
  const concurrency = flags.concurrency ?? config.judge.concurrency;
  const { limit, retryErrors } = flags;
  const client = await judgeClientFromFlags(ctx, flags);
  const db = await ctx.db();
  const r =
    flags.batch && client
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
            concurrency,
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
});

import path from 'node:path';
import { applyCompressionRatios } from '../../compression/apply-compression-ratios.js';
import { COMPRESSOR_NAMES, createCompressorRegistry } from '../../compression/compressor-registry.js';
import { createHttpCompressor } from '../../compression/http-compressor.js';
import { ratiosToApply } from '../../compression/recommend-ratios.js';
import { runCompressionReport } from '../../compression/run-compression-report.js';
import type { TuneDecision } from '../../compression/tune-ratio.js';
import { ANSWER_METRICS, type CompressionMetric } from '../../compression/compression-metric.js';
import { createJudgeAnswerer, worstCaseAnswerCostUsd } from '../../compression/qa-answerer.js';
import { InputError } from '../../errors.js';
import { JudgeBudget } from '../../judge/judge-budget.js';
import { defineCommand } from '../command.js';
import { compressionSpec } from './compression-spec.js';
import { judgeClientFromFlags } from './judge.js';

/** `driftwatch compression`: evaluate compressors over a QA set, recommend (and with --apply write) a ratio per task class. */
export const compressionCommand = defineCommand(compressionSpec, async (ctx, values) => {
  const loaded = ctx.config();
  const { ratios, limit, dataset } = values;
  const compressors = pickCompressors(values.method, loaded.config.compression.services);
  const maxDropPoints = values.maxDrop ?? loaded.config.compression.maxDropPoints;
  // With a reference model: accuracy (exact match, token F1) from the full and each compressed context.
  const client = await judgeClientFromFlags(ctx, values);
  const maxCostUsd = values.maxCostUsd ?? loaded.config.judge.maxCostUsd;
  if (!client && values.maxCostUsd !== undefined)
    throw new InputError('--max-cost-usd needs --judge anthropic or --judge openai: answer retention makes no calls');
  const metric = checkMetric(values.metric, Boolean(client));
  const budget = new JudgeBudget(maxCostUsd);
  const ledger = { calls: 0, costUsd: 0 };
  let estimateUsd: number | undefined;
  ctx.progress(
    `compression: ${dataset}, methods ${compressors.map((c) => c.name).join(', ')}, ratios ${ratios.join(', ')}${client ? `, answered by ${client.provider} ${client.model}` : ''}`,
  );
  const { evaluation, decisions, markdown } = await runCompressionReport({
    answerer: client ? createJudgeAnswerer(client, { budget, ledger }) : undefined,
    beforeAnswering: ({ items, callsPerItem }) => {
      estimateUsd = worstCaseAnswerCostUsd(client!.model, items, callsPerItem);
      const calls = items.length * callsPerItem;
      if (maxCostUsd !== undefined && estimateUsd > maxCostUsd) {
        throw new InputError(
          `--max-cost-usd ${maxCostUsd}: answering ${items.length} questions ${callsPerItem} times each (${calls} calls) may cost up to $${estimateUsd.toFixed(4)} with ${client!.model}; nothing was sent. Lower --limit, use fewer --ratios or --method, or raise the cap.`,
        );
      }
      ctx.progress(`compression: ${calls} reference-model calls, at most $${estimateUsd.toFixed(4)}`);
    },
    dataset,
    cwd: ctx.cwd,
    limit,
    compressors,
    ratios,
    maxDropPoints,
    task: values.task,
    metric,
    signal: ctx.signal,
  });
  const configFile = loaded.path ?? path.join(ctx.cwd, 'driftwatch.yaml');
  const applied = values.apply ? applyCompressionRatios(configFile, ratiosToApply(decisions)) : undefined;
  const appliedText = applied
    ? `\n${applied.length === 0 ? `${configFile}: compression.ratios already up to date` : `${configFile}: ${applied.map((c) => `${c.taskClass} ${c.from ?? 'unset'} -> ${c.to}`).join(', ')}`}\n`
    : '';
  return {
    json: {
      dataset: evaluation.dataset,
      metric: evaluation.metric,
      baseline: evaluation.baselineMean,
      applies: evaluation.applies,
      maxDropPoints,
      results: evaluation.rows,
      recommended: recommendedJson(decisions),
      ...(applied ? { applied } : {}),
      ...(client
        ? {
            judge: {
              provider: client.provider,
              model: client.model,
              calls: ledger.calls,
              costUsd: Math.round(ledger.costUsd * 1e8) / 1e8,
              estimateUsd,
              maxCostUsd: maxCostUsd ?? null,
            },
          }
        : {}),
    },
    text:
      markdown +
      (client
        ? `\nreference model ${client.provider} ${client.model}: ${ledger.calls} calls, $${ledger.costUsd.toFixed(4)}${maxCostUsd !== undefined ? ` of a $${maxCostUsd} cap` : ''}\n`
        : '') +
      appliedText,
  };
});

/** --metric: offline metrics always; exact-match and token-f1 only with a reference model (--judge). */
function checkMetric(metric: CompressionMetric | undefined, withJudge: boolean): CompressionMetric | undefined {
  if (metric !== undefined && ANSWER_METRICS.includes(metric) && !withJudge)
    throw new InputError(
      `--metric ${metric} needs --judge anthropic or --judge openai: a reference model must answer from the context`,
    );
  return metric;
}

/** The built-ins (all by default) plus configured HTTP services, which run only when named. */
function pickCompressors(names: string[] | undefined, services: Record<string, string>) {
  const external = Object.entries(services).map(([name, url]) => createHttpCompressor({ name, url }));
  const registry = createCompressorRegistry(external);
  if (names === undefined) return [...registry.values()].filter((c) => !Object.hasOwn(services, c.name));
  if (names.length === 0) throw new InputError('--method expects a comma-separated list of compressors, got none');
  return names.map((name) => {
    const c = registry.get(name);
    if (!c)
      throw new InputError(
        `--method: unknown compressor "${name}"; known: ${[...COMPRESSOR_NAMES, ...Object.keys(services)].join(', ')}`,
      );
    return c;
  });
}

function recommendedJson(decisions: TuneDecision[]): Record<string, unknown> {
  return Object.fromEntries(
    decisions.map((d) => [
      d.group,
      {
        ...(d.kind === 'compress'
          ? {
              ratio: d.ratio,
              method: d.method,
              n: d.n,
              achievedRatio: d.achievedRatio,
              drop: d.drop.drop,
              dropLower: d.drop.lower,
              dropUpper: d.drop.upper,
              interval: d.drop.method,
            }
          : { ratio: d.ratio, method: null, n: d.n, reason: d.reason }),
        metric: d.metric,
        baseline: d.baseline,
        applies: d.kind !== 'not-applicable',
      },
    ]),
  );
}

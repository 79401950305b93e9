import path from 'node:path';
import { applyCompressionRatios } from '../../compression/apply-compression-ratios.js';
import { COMPRESSOR_NAMES, createCompressorRegistry } from '../../compression/compressor-registry.js';
import { createHttpCompressor } from '../../compression/http-compressor.js';
import { ratiosToApply } from '../../compression/recommend-ratios.js';
import { runCompressionReport } from '../../compression/run-compression-report.js';
import type { TuneDecision } from '../../compression/tune-ratio.js';
import { ANSWER_METRICS, OFFLINE_METRICS, type CompressionMetric } from '../../compression/compression-metric.js';
import { createJudgeAnswerer, worstCaseAnswerCostUsd } from '../../compression/qa-answerer.js';
import { InputError } from '../../errors.js';
import { JudgeBudget } from '../../judge/judge-budget.js';
import { defineCommand } from '../command.js';
import { parseNumberFlag } from '../parse-flag.js';
import { judgeClientFromFlags } from './judge.js';

const DEFAULT_RATIOS = [0.3, 0.5, 0.7, 0.9];

/** `driftwatch compression`: evaluate compressors over a QA set, recommend (and with --apply write) a ratio per task class. */
export const compressionCommand = defineCommand({
  name: 'compression',
  summary:
    'answer quality of prompt compressors per ratio over a QA set (a metric that applies to it), and the ratio to use per task class',
  usage:
    'driftwatch compression [--dataset xquad-en|xquad-zh|xquad-th|qmsum|FILE.jsonl] [--ratios 0.3,0.5,0.7,0.9] [--method tfidf,structural,dedup,tfidf+dedup,SERVICE] [--metric retention|reference-recall|exact-match|token-f1] [--max-drop PP] [--task CLASS] [--apply] [--limit N] [--judge anthropic|openai [--model M] [--max-cost-usd N]]',
  options: {
    judge: { type: 'string' },
    model: { type: 'string' },
    'max-cost-usd': { type: 'string' },
    dataset: { type: 'string' },
    metric: { type: 'string' },
    ratios: { type: 'string' },
    method: { type: 'string' },
    'max-drop': { type: 'string' },
    task: { type: 'string' },
    apply: { type: 'boolean' },
    limit: { type: 'string' },
  },
  noDb: true,
  async run(ctx, values) {
    const loaded = ctx.config();
    const ratios = parseRatios(values.ratios as string | undefined);
    const compressors = pickCompressors(values.method as string | undefined, loaded.config.compression.services);
    const maxDropPoints =
      parseNumberFlag('max-drop', values['max-drop'], { min: 0, max: 100 }) ?? loaded.config.compression.maxDropPoints;
    const limit = parseNumberFlag('limit', values.limit, { min: 1 });
    const dataset = (values.dataset as string | undefined) ?? 'xquad-en';
    // With a reference model: accuracy (exact match, token F1) from the full and each compressed context.
    const client = await judgeClientFromFlags(ctx, values);
    const maxCostUsd =
      parseNumberFlag('max-cost-usd', values['max-cost-usd'], { min: 0 }) ?? loaded.config.judge.maxCostUsd;
    if (!client && values['max-cost-usd'] !== undefined)
      throw new InputError('--max-cost-usd needs --judge anthropic or --judge openai: answer retention makes no calls');
    const metric = parseMetric(values.metric as string | undefined, Boolean(client));
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
      limit: limit === undefined ? undefined : Math.floor(limit),
      compressors,
      ratios,
      maxDropPoints,
      task: values.task as string | undefined,
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
  },
});

/** --metric: offline metrics always; exact-match and token-f1 only with a reference model (--judge). */
function parseMetric(value: string | undefined, withJudge: boolean): CompressionMetric | undefined {
  if (value === undefined) return undefined;
  const known = [...OFFLINE_METRICS, ...ANSWER_METRICS] as string[];
  if (!known.includes(value)) throw new InputError(`--metric: expected one of ${known.join(', ')}; got "${value}"`);
  if (ANSWER_METRICS.includes(value as CompressionMetric) && !withJudge)
    throw new InputError(
      `--metric ${value} needs --judge anthropic or --judge openai: a reference model must answer from the context`,
    );
  return value as CompressionMetric;
}

function parseRatios(value: string | undefined): number[] {
  if (value === undefined) return DEFAULT_RATIOS;
  const ratios = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => Number(s));
  if (ratios.length === 0 || ratios.some((r) => !(r > 0 && r <= 1))) {
    throw new InputError(
      `--ratios expects a comma-separated list of ratios in (0, 1], e.g. 0.3,0.5,0.7; got "${value}"`,
    );
  }
  return [...new Set(ratios)].sort((a, b) => a - b);
}

/** The built-ins (all by default) plus configured HTTP services, which run only when named. */
function pickCompressors(value: string | undefined, services: Record<string, string>) {
  const external = Object.entries(services).map(([name, url]) => createHttpCompressor({ name, url }));
  const registry = createCompressorRegistry(external);
  if (value === undefined) return [...registry.values()].filter((c) => !Object.hasOwn(services, c.name));
  return value.split(',').map((name) => {
    const c = registry.get(name.trim());
    if (!c)
      throw new InputError(
        `--method: unknown compressor "${name.trim()}"; known: ${[...COMPRESSOR_NAMES, ...Object.keys(services)].join(', ')}`,
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

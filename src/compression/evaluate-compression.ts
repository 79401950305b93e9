import pLimit from 'p-limit';
import {
  ANSWER_METRICS,
  chooseMetric,
  mean,
  metricApplies,
  OFFLINE_METRICS,
  type CompressionMetric,
} from './compression-metric.js';
import type { Compressor, CompressionResult } from './compressor.js';
import { type CompressionRow, type ItemOutcome, summariseCompressionRow } from './compression-row.js';
import { exactMatch, normalizeAnswer, tokenF1 } from '../text/normalize-answer.js';
import type { QaAnswerer } from './qa-answerer.js';
import type { QaDataset, QaItem } from './qa-item.js';
import { contentTokens, referenceRecall } from './reference-recall.js';
import { scoreRetention } from './score-retention.js';
import { isExtractionClass, type CurvePoint } from './tune-ratio.js';

/** What to evaluate: a dataset, compressors, target ratios and, optionally, a reference model. */
export interface EvaluateCompressionOptions {
  dataset: QaDataset;
  compressors: Compressor[];
  ratios: number[];
  /** Task class of items that carry none; defaults to the dataset name. */
  task?: string;
  /** With a reference model, accuracy on the full and compressed context is measured too. */
  answerer?: QaAnswerer;
  concurrency?: number;
  signal?: AbortSignal;
  /**
   * The metric to score by; by default the first that applies to the dataset (baseline >= 0.2):
   * retention, else reference-recall offline; exact-match, else token-f1 with a reference model.
   */
  metric?: CompressionMetric;
}

/** A task class (or the whole dataset) and the indexes of its items. */
export interface EvaluationGroup {
  name: string;
  extraction: boolean;
  items: number[];
}

/**
 * Everything the tuner and the report need. `baseline` and each point's `scores` are per item
 * in dataset order (retention, or exact match when a reference model answered).
 */
export interface CompressionEvaluation {
  dataset: string;
  metric: CompressionMetric;
  groups: EvaluationGroup[];
  baseline: number[];
  /** Mean of `baseline`, and whether it clears 0.2 (else nothing is recommended from this metric). */
  baselineMean: number | null;
  applies: boolean;
  points: CurvePoint[];
  rows: CompressionRow[];
}

/** Scores one item's (compressed or full) context by the chosen offline metric. */
type OfflineScorer = (item: QaItem, context: string, normalized: string) => number;

/**
 * Compresses every item with every compressor at every ratio and scores what survived. Question-
 * blind compressors run once per distinct context and ratio; contexts are split once.
 */
export async function evaluateCompression(options: EvaluateCompressionOptions): Promise<CompressionEvaluation> {
  const { dataset, answerer } = options;
  const items = dataset.items;
  const normalizedContext = memo((c: string) => normalizeAnswer(c));
  const limit = pLimit(options.concurrency ?? 8);
  const baselineAnswers = answerer
    ? await Promise.all(
        items.map((it) =>
          limit(() =>
            answerer({ customId: `${it.id}:full`, context: it.context, question: it.question }, options.signal),
          ),
        ),
      )
    : undefined;
  const baselineRetention = items.map((it) => scoreRetention(it, normalizedContext(it.context)));
  const offline = createOfflineScorers();
  const baselineScores = memoMetric((m): number[] => {
    if (m === 'retention') return baselineRetention;
    if (m === 'reference-recall')
      return items.map((it) => offline['reference-recall'](it, it.context, normalizedContext(it.context)));
    if (!baselineAnswers) throw new RangeError(`metric ${m} needs a reference model to answer (--judge)`);
    return baselineAnswers.map((a, i) =>
      m === 'exact-match' ? exactMatch(a, items[i].answers) : tokenF1(a, items[i].answers),
    );
  });
  const metric =
    options.metric ?? chooseMetric(answerer ? ANSWER_METRICS : OFFLINE_METRICS, (m) => mean(baselineScores(m)));
  const baseline = baselineScores(metric);
  const baselineMean = mean(baseline);
  const scorer = ANSWER_METRICS.includes(metric) ? undefined : offline[metric as 'retention' | 'reference-recall'];
  const rows: CompressionRow[] = [];
  const points: CurvePoint[] = [];
  for (const compressor of options.compressors) {
    for (const ratio of compressor.targetsRatio ? options.ratios : [null]) {
      options.signal?.throwIfAborted();
      const outcomes = await runPoint(compressor, ratio, options, limit, metric, scorer);
      rows.push(
        summariseCompressionRow(
          { method: compressor.name, ratio, metric, baseline: baselineMean },
          items,
          outcomes,
          normalizedContext,
          baselineAnswers,
        ),
      );
      if (ratio !== null)
        points.push({
          method: compressor.name,
          ratio,
          achievedRatio: rows.at(-1)?.achievedRatio,
          scores: outcomes.map((o) => o.score),
        });
    }
  }
  return {
    dataset: dataset.name,
    metric,
    groups: groupItems(items, options.task ?? dataset.name),
    baseline,
    baselineMean,
    applies: metricApplies(baselineMean),
    points,
    rows,
  };
}

function createOfflineScorers(): Record<'retention' | 'reference-recall', OfflineScorer> {
  const tokens = memo((c: string) => contentTokens(c));
  return {
    retention: (item, _context, normalized) => scoreRetention(item, normalized),
    'reference-recall': (item, context) => referenceRecall(item.answers, tokens(context)),
  };
}

async function runPoint(
  compressor: Compressor,
  ratio: number | null,
  options: EvaluateCompressionOptions,
  limit: ReturnType<typeof pLimit>,
  metric: CompressionMetric,
  scorer: OfflineScorer | undefined,
): Promise<ItemOutcome[]> {
  const shared = new Map<string, Promise<{ result: CompressionResult; normalized: string }>>();
  const compress = (it: QaItem) => {
    const run = async () => {
      const result = await compressor.compress(it.context, { question: it.question, targetRatio: ratio ?? undefined });
      return { result, normalized: normalizeAnswer(result.text) };
    };
    if (compressor.usesQuestion) return run();
    let hit = shared.get(it.context);
    if (!hit) {
      hit = run();
      shared.set(it.context, hit);
    }
    return hit;
  };
  const outcomes: ItemOutcome[] = [];
  for (const it of options.dataset.items) {
    const { result, normalized } = await compress(it);
    const retention = scoreRetention(it, normalized);
    outcomes.push({ result, retention, score: scorer ? scorer(it, result.text, normalized) : 0 });
  }
  if (options.answerer) await answerAll(options, outcomes, compressor.name, ratio, limit);
  if (!scorer) for (const o of outcomes) o.score = (metric === 'exact-match' ? o.exact : o.f1) ?? 0;
  return outcomes;
}

async function answerAll(
  options: EvaluateCompressionOptions,
  outcomes: ItemOutcome[],
  method: string,
  ratio: number | null,
  limit: ReturnType<typeof pLimit>,
): Promise<void> {
  const answerer = options.answerer as QaAnswerer;
  const items = options.dataset.items;
  await Promise.all(
    outcomes.map((o, i) =>
      limit(async () => {
        const answer = await answerer(
          {
            customId: `${items[i].id}:${method}:${ratio ?? 'auto'}`,
            context: o.result.text,
            question: items[i].question,
          },
          options.signal,
        );
        o.exact = exactMatch(answer, items[i].answers);
        o.f1 = tokenF1(answer, items[i].answers);
      }),
    ),
  );
}

function groupItems(items: QaItem[], fallback: string): EvaluationGroup[] {
  const byName = new Map<string, number[]>();
  items.forEach((it, i) => {
    const name = it.taskClass ?? fallback;
    const list = byName.get(name);
    if (list) list.push(i);
    else byName.set(name, [i]);
  });
  return [...byName].map(([name, idx]) => ({
    name,
    items: idx,
    extraction: isExtractionClass(
      name,
      idx.some((i) => items[i].fields),
    ),
  }));
}

function memoMetric(fn: (m: CompressionMetric) => number[]): (m: CompressionMetric) => number[] {
  const cache = new Map<CompressionMetric, number[]>();
  return (m) => {
    let v = cache.get(m);
    if (v === undefined) {
      v = fn(m);
      cache.set(m, v);
    }
    return v;
  };
}

function memo<T>(fn: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      if (cache.size > 5_000) cache.clear();
      v = fn(s);
      cache.set(s, v);
    }
    return v;
  };
}

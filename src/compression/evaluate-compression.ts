import pLimit from 'p-limit';
import type { Compressor, CompressionResult } from './compressor.js';
import { tallyFieldDrops, type FieldTally } from './field-guard.js';
import { exactMatch, normalizeAnswer, tokenF1 } from './normalize-answer.js';
import type { QaAnswerer } from './qa-answerer.js';
import type { QaDataset, QaItem } from './qa-item.js';
import { scoreInterval } from './retention-interval.js';
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
}

/** Accuracy of reference-model answers (SQuAD exact match, with its Wilson interval, and token F1). */
export interface AccuracyFigures {
  exactMatch: number;
  lower: number;
  upper: number;
  f1: number;
}

/** One method at one target ratio (ratio null: a compressor without a target, i.e. dedup). */
export interface CompressionRow {
  method: string;
  ratio: number | null;
  /** Mean over items of compressed / original tokens. */
  achievedRatio: number;
  /** Largest |achieved - target| of any single item (null without a target). */
  maxRatioError: number | null;
  n: number;
  /** Mean retention: gold answer still present (0/1), or evidence coverage (QMSum). */
  answerRetention: number;
  lower: number;
  upper: number;
  originalTokens: number;
  compressedTokens: number;
  tokensSaved: number;
  /** Extraction guard, only when items carry `fields`. */
  fieldDrops?: FieldTally;
  accuracy?: AccuracyFigures;
  baselineAccuracy?: AccuracyFigures;
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
  metric: 'retention' | 'exact-match';
  groups: EvaluationGroup[];
  baseline: number[];
  points: CurvePoint[];
  rows: CompressionRow[];
}

interface ItemOutcome {
  result: CompressionResult;
  retention: number;
  exact?: number;
  f1?: number;
}

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
    ? await Promise.all(items.map((it) => limit(() => answerer({ customId: `${it.id}:full`, context: it.context, question: it.question }, options.signal))))
    : undefined;
  const baselineRetention = items.map((it) => scoreRetention(it, normalizedContext(it.context)));
  const baselineExact = baselineAnswers?.map((a, i) => exactMatch(a, items[i].answers));
  const rows: CompressionRow[] = [];
  const points: CurvePoint[] = [];
  for (const compressor of options.compressors) {
    for (const ratio of compressor.targetsRatio ? options.ratios : [null]) {
      options.signal?.throwIfAborted();
      const outcomes = await runPoint(compressor, ratio, options, limit);
      rows.push(summarise(compressor.name, ratio, items, outcomes, normalizedContext, baselineAnswers));
      if (ratio !== null) points.push({ method: compressor.name, ratio, achievedRatio: rows.at(-1)?.achievedRatio, scores: outcomes.map((o) => o.exact ?? o.retention) });
    }
  }
  return { dataset: dataset.name, metric: answerer ? 'exact-match' : 'retention', groups: groupItems(items, options.task ?? dataset.name), baseline: baselineExact ?? baselineRetention, points, rows };
}

async function runPoint(
  compressor: Compressor,
  ratio: number | null,
  options: EvaluateCompressionOptions,
  limit: ReturnType<typeof pLimit>,
): Promise<ItemOutcome[]> {
  const shared = new Map<string, Promise<{ result: CompressionResult; normalized: string }>>();
  const compress = (it: QaItem) => {
    const run = async () => {
      const result = await compressor.compress(it.context, { question: it.question, targetRatio: ratio ?? undefined });
      return { result, normalized: normalizeAnswer(result.text) };
    };
    if (compressor.usesQuestion) return run();
    let hit = shared.get(it.context);
    if (!hit) shared.set(it.context, (hit = run()));
    return hit;
  };
  const outcomes: ItemOutcome[] = [];
  for (const it of options.dataset.items) {
    const { result, normalized } = await compress(it);
    outcomes.push({ result, retention: scoreRetention(it, normalized) });
  }
  if (options.answerer) await answerAll(options, outcomes, compressor.name, ratio, limit);
  return outcomes;
}

async function answerAll(options: EvaluateCompressionOptions, outcomes: ItemOutcome[], method: string, ratio: number | null, limit: ReturnType<typeof pLimit>): Promise<void> {
  const answerer = options.answerer as QaAnswerer;
  const items = options.dataset.items;
  await Promise.all(
    outcomes.map((o, i) =>
      limit(async () => {
        const answer = await answerer({ customId: `${items[i].id}:${method}:${ratio ?? 'auto'}`, context: o.result.text, question: items[i].question }, options.signal);
        o.exact = exactMatch(answer, items[i].answers);
        o.f1 = tokenF1(answer, items[i].answers);
      }),
    ),
  );
}

function summarise(method: string, ratio: number | null, items: QaItem[], outcomes: ItemOutcome[], normalizedContext: (c: string) => string, baselineAnswers?: string[]): CompressionRow {
  const retention = scoreInterval(outcomes.map((o) => o.retention));
  const originalTokens = sum(outcomes.map((o) => o.result.originalTokens));
  const compressedTokens = sum(outcomes.map((o) => o.result.compressedTokens));
  const row: CompressionRow = {
    method,
    ratio,
    achievedRatio: sum(outcomes.map((o) => o.result.achievedRatio)) / Math.max(1, outcomes.length),
    maxRatioError: ratio === null ? null : Math.max(0, ...outcomes.map((o) => Math.abs(o.result.achievedRatio - ratio))),
    n: outcomes.length,
    answerRetention: retention.mean ?? 0,
    lower: retention.lower,
    upper: retention.upper,
    originalTokens,
    compressedTokens,
    tokensSaved: originalTokens - compressedTokens,
  };
  const tally: FieldTally = {};
  items.forEach((it, i) => it.fields && tallyFieldDrops(tally, it.fields, normalizedContext(it.context), normalizeAnswer(outcomes[i].result.text)));
  if (items.some((it) => it.fields)) row.fieldDrops = tally;
  if (baselineAnswers) {
    row.accuracy = accuracy(outcomes.map((o) => o.exact ?? 0), outcomes.map((o) => o.f1 ?? 0));
    row.baselineAccuracy = accuracy(baselineAnswers.map((a, i) => exactMatch(a, items[i].answers)), baselineAnswers.map((a, i) => tokenF1(a, items[i].answers)));
  }
  return row;
}

function accuracy(exact: number[], f1: number[]): AccuracyFigures {
  const em = scoreInterval(exact);
  return { exactMatch: em.mean ?? 0, lower: em.lower, upper: em.upper, f1: sum(f1) / Math.max(1, f1.length) };
}

function groupItems(items: QaItem[], fallback: string): EvaluationGroup[] {
  const byName = new Map<string, number[]>();
  items.forEach((it, i) => {
    const name = it.taskClass ?? fallback;
    const list = byName.get(name);
    if (list) list.push(i);
    else byName.set(name, [i]);
  });
  return [...byName].map(([name, idx]) => ({ name, items: idx, extraction: isExtractionClass(name, idx.some((i) => items[i].fields)) }));
}

function memo(fn: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) cache.set(s, (v = fn(s)));
    return v;
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

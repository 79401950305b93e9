import { exactMatch, normalizeAnswer, tokenF1 } from '../text/normalize-answer.js';
import { type CompressionMetric, metricApplies } from './compression-metric.js';
import type { CompressionResult } from './compressor.js';
import { type FieldTally, tallyFieldDrops } from './field-guard.js';
import type { QaItem } from './qa-item.js';
import { scoreInterval } from './retention-interval.js';

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
  /** The metric this result is scored by (the evaluation's), and its mean on the uncompressed context. */
  metric: CompressionMetric;
  baseline: number | null;
  /** False when the baseline is under 0.2: the metric cannot judge this dataset's compression. */
  applies: boolean;
  /** Mean of the metric on the compressed context, with its 95% interval. */
  score: number;
  scoreLower: number;
  scoreUpper: number;
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

/** One item's compressed context and its scores. */
export interface ItemOutcome {
  result: CompressionResult;
  retention: number;
  /** The evaluation's metric for this item. */
  score: number;
  exact?: number;
  f1?: number;
}

/** One method at one ratio over all items: achieved ratio, metric and retention intervals, tokens, field drops, accuracy. */
export function summariseCompressionRow(
  head: { method: string; ratio: number | null; metric: CompressionMetric; baseline: number | null },
  items: QaItem[],
  outcomes: ItemOutcome[],
  normalizedContext: (c: string) => string,
  baselineAnswers?: string[],
): CompressionRow {
  const { method, ratio } = head;
  const retention = scoreInterval(outcomes.map((o) => o.retention));
  const score = scoreInterval(outcomes.map((o) => o.score));
  const originalTokens = sum(outcomes.map((o) => o.result.originalTokens));
  const compressedTokens = sum(outcomes.map((o) => o.result.compressedTokens));
  const row: CompressionRow = {
    method,
    ratio,
    achievedRatio: sum(outcomes.map((o) => o.result.achievedRatio)) / Math.max(1, outcomes.length),
    maxRatioError:
      ratio === null ? null : Math.max(0, ...outcomes.map((o) => Math.abs(o.result.achievedRatio - ratio))),
    n: outcomes.length,
    metric: head.metric,
    baseline: head.baseline,
    applies: metricApplies(head.baseline),
    score: score.mean ?? 0,
    scoreLower: score.lower,
    scoreUpper: score.upper,
    answerRetention: retention.mean ?? 0,
    lower: retention.lower,
    upper: retention.upper,
    originalTokens,
    compressedTokens,
    tokensSaved: originalTokens - compressedTokens,
  };
  const tally: FieldTally = {};
  for (const [i, it] of items.entries()) {
    if (it.fields)
      tallyFieldDrops(tally, it.fields, normalizedContext(it.context), normalizeAnswer(outcomes[i].result.text));
  }
  if (items.some((it) => it.fields)) row.fieldDrops = tally;
  if (baselineAnswers) {
    row.accuracy = accuracy(
      outcomes.map((o) => o.exact ?? 0),
      outcomes.map((o) => o.f1 ?? 0),
    );
    row.baselineAccuracy = accuracy(
      baselineAnswers.map((a, i) => exactMatch(a, items[i].answers)),
      baselineAnswers.map((a, i) => tokenF1(a, items[i].answers)),
    );
  }
  return row;
}

function accuracy(exact: number[], f1: number[]): AccuracyFigures {
  const em = scoreInterval(exact);
  return { exactMatch: em.mean ?? 0, lower: em.lower, upper: em.upper, f1: sum(f1) / Math.max(1, f1.length) };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

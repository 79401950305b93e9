import type { CompressionMetric } from './compression-metric.js';
import { createCompressorRegistry } from './compressor-registry.js';
import type { Compressor } from './compressor.js';
import { evaluateCompression, type CompressionEvaluation } from './evaluate-compression.js';
import { loadQaDataset } from './load-qa-dataset.js';
import type { QaAnswerer } from './qa-answerer.js';
import type { QaItem } from './qa-item.js';
import { recommendRatios } from './recommend-ratios.js';
import { buildCompressionSeries } from './compression-series.js';
import { renderCompressionMarkdown } from './render-compression-markdown.js';
import type { CompressionSeries } from '../reports/charts/report-series.js';
import type { TuneDecision } from './tune-ratio.js';

/** Options of the one-call compression section (defaults: XQuAD-en, all built-ins, 0.3-0.9, 2 points, metric by baseline). */
export interface CompressionReportOptions {
  dataset?: string;
  cwd?: string;
  ratios?: number[];
  compressors?: Compressor[];
  maxDropPoints?: number;
  task?: string;
  limit?: number;
  answerer?: QaAnswerer;
  /** The metric to score by; default: the first that applies (see evaluateCompression). */
  metric?: CompressionMetric;
  /**
   * With an answerer: called with the items and the calls each will take before any is sent, so a
   * caller can refuse a run its budget cannot cover (throw) instead of stopping halfway.
   */
  beforeAnswering?: (plan: { items: QaItem[]; callsPerItem: number }) => void;
  signal?: AbortSignal;
}

/**
 * Evaluate, tune and render in one call, for the nightly/demo report: returns the evaluation, the
 * per-class decisions, the markdown section (table, guard, recommendation) and the chart's series.
 */
export async function runCompressionReport(options: CompressionReportOptions = {}): Promise<{
  evaluation: CompressionEvaluation;
  decisions: TuneDecision[];
  markdown: string;
  series: CompressionSeries;
}> {
  const dataset = loadQaDataset(options.dataset ?? 'xquad-en', {
    cwd: options.cwd ?? process.cwd(),
    limit: options.limit,
  });
  const maxDropPoints = options.maxDropPoints ?? 2;
  const compressors = options.compressors ?? [...createCompressorRegistry().values()];
  const ratios = options.ratios ?? [0.3, 0.5, 0.7, 0.9];
  if (options.answerer) {
    options.beforeAnswering?.({
      items: dataset.items,
      callsPerItem: 1 + compressors.reduce((n, c) => n + (c.targetsRatio ? ratios.length : 1), 0),
    });
  }
  const evaluation = await evaluateCompression({
    dataset,
    compressors,
    ratios,
    task: options.task,
    answerer: options.answerer,
    metric: options.metric,
    signal: options.signal,
  });
  const decisions = recommendRatios(evaluation, { maxDropPoints });
  const input = { dataset: dataset.name, metric: evaluation.metric, rows: evaluation.rows, decisions, maxDropPoints };
  return { evaluation, decisions, markdown: renderCompressionMarkdown(input), series: buildCompressionSeries(input) };
}

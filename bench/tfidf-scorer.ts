// tfidf compression on 4,000-token contexts, cold (context and stem memos cleared before every call):
// the scorer over the context's sentences (issue 15) beside the natural TfIdf built per context that
// it replaced, interleaved per call; median, p95 and max, and the achieved ratios of both.
// Contexts: the opening 4,000 tokens of each real QMSum meeting, with up to 3 of its queries.
// Then retention (the compression report's offline metric) of both scorers on the bundled XQuAD-en
// (all 1,190 questions) and QMSum (all 281 queries, whole meetings) at the report's ratios, side by
// side, with how many compressed contexts differ between the two.
// Run: npx tsx bench/tfidf-scorer.ts   (TFIDF_BENCH=timing or TFIDF_BENCH=retention: only that part)
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TfIdf } from 'natural/lib/natural/tfidf/index.js';
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import type { CompressionResult, Compressor } from '../src/compression/compressor.js';
import { evaluateCompression } from '../src/compression/evaluate-compression.js';
import { budgetFor, buildResult, emptySelection, fillBudget, measure } from '../src/compression/fill-budget.js';
import { loadQaDataset } from '../src/compression/load-qa-dataset.js';
import { clearContextCache, prepareContext } from '../src/compression/prepared-context.js';
import { createTfidfCompressor } from '../src/compression/tfidf-compressor.js';
import { truncateToTokens } from '../src/compression/truncate-to-tokens.js';
import { countTokens } from '../src/routing/count-tokens.js';

/** The tfidf compressor before issue 15: a natural TfIdf over the stemmed sentences of each context. */
function compressBefore(context: string, question: string, targetRatio: number): CompressionResult {
  const ctx = prepareContext(context);
  const budget = budgetFor(ctx.totalTokens, targetRatio, 'tfidf');
  if (budget >= ctx.totalTokens) return measure(ctx.totalTokens, context);
  const unitBudget = Math.round(budget / ctx.scale);
  const stem = (t: string) => PorterStemmer.tokenizeAndStem(t).map((x) => `_${x}`);
  const terms = stem(question);
  let scores = ctx.units.map(() => 0);
  if (terms.length > 0) {
    const index = new TfIdf();
    for (const u of ctx.units) index.addDocument(stem(u.text));
    scores = index.tfidfs(terms);
  }
  const priority = ctx.units.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const selection = emptySelection();
  fillBudget(ctx.units, priority, unitBudget, selection);
  return buildResult(ctx, selection, budget);
}

function cases(): { context: string; question: string }[] {
  const items = loadQaDataset('qmsum', { cwd: process.cwd() }).items;
  const byContext = new Map<string, string[]>();
  for (const it of items) byContext.set(it.context, [...(byContext.get(it.context) ?? []), it.question]);
  return [...byContext].flatMap(([context, qs]) => {
    const cut = truncateToTokens(context, 4000);
    const c = cut.slice(0, cut.lastIndexOf('\n'));
    return qs.slice(0, 3).map((question) => ({ context: c, question }));
  });
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;

export async function runTfidfScorerBench(): Promise<string> {
  const all = cases();
  const meanTokens = all.reduce((a, c) => a + countTokens(c.context), 0) / all.length;
  const after = createTfidfCompressor();
  const ratios = [0.3, 0.5, 0.7];
  const times: Record<'before' | 'after', number[]> = { before: [], after: [] };
  const dev: Record<'before' | 'after', number> = { before: 0, after: 0 };
  let differ = 0;
  // warm-up (JIT), not reported
  for (const c of all.slice(0, 3)) {
    clearContextCache();
    compressBefore(c.context, c.question, 0.5);
    clearContextCache();
    await after.compress(c.context, { question: c.question, targetRatio: 0.5 });
  }
  for (const [i, c] of all.entries()) {
    const ratio = ratios[i % ratios.length]!;
    const order = i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
    const out: Partial<Record<'before' | 'after', CompressionResult>> = {};
    for (const which of order) {
      clearContextCache();
      const t0 = performance.now();
      out[which] =
        which === 'before'
          ? compressBefore(c.context, c.question, ratio)
          : await after.compress(c.context, { question: c.question, targetRatio: ratio });
      times[which].push(performance.now() - t0);
      dev[which] = Math.max(dev[which], Math.abs(out[which]!.achievedRatio - ratio));
    }
    if (out.before!.text !== out.after!.text) differ++;
  }
  const row = (k: 'before' | 'after', label: string) => {
    const t = times[k];
    return `| ${label} | ${pct(t, 0.5).toFixed(1)} | ${pct(t, 0.95).toFixed(1)} | ${Math.min(...t).toFixed(1)}-${Math.max(...t).toFixed(1)} | ${dev[k].toFixed(3)} |`;
  };
  return [
    `## tfidf compression, cold, ${all.length} calls on ${Math.round(meanTokens)}-token contexts (QMSum openings; targets 0.3/0.5/0.7)`,
    '',
    `Load average (1/5/15 min) at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} on ${os.cpus().length} cores. Outputs that differ between the two: ${differ} of ${all.length}.`,
    '',
    '| scorer | median ms | p95 ms | min-max ms | max abs(achieved - target) |',
    '|---|---:|---:|---:|---:|',
    row('before', 'before: natural TfIdf built per context'),
    row('after', "after: tf-idf over the context's sentences (Set stop words, stems memoised)"),
    '',
  ].join('\n');
}

/** A compressor that records each output by its call (ratio, question, context). */
function recording(c: Compressor, out: Map<string, string>): Compressor {
  return {
    ...c,
    async compress(context, options = {}) {
      const r = await c.compress(context, options);
      out.set(`${options.targetRatio}\u0000${options.question}\u0000${context}`, r.text);
      return r;
    },
  };
}

/** Retention of the scorer before and after issue 15 on XQuAD-en and QMSum, side by side. */
export async function runTfidfRetentionBench(): Promise<string> {
  const ratios = [0.3, 0.5, 0.7, 0.9];
  const rows: string[] = [];
  const notes: string[] = [];
  for (const name of ['xquad-en', 'qmsum'] as const) {
    const dataset = loadQaDataset(name, { cwd: process.cwd() });
    const texts = { before: new Map<string, string>(), after: new Map<string, string>() };
    const before: Compressor = {
      name: 'before',
      targetsRatio: true,
      usesQuestion: true,
      compress: (context, o = {}) => compressBefore(context, o.question ?? '', o.targetRatio ?? 1),
    };
    const after: Compressor = { ...createTfidfCompressor(), name: 'after' };
    const ev = await evaluateCompression({
      dataset,
      compressors: [recording(before, texts.before), recording(after, texts.after)],
      ratios,
    });
    let differ = 0;
    for (const [k, t] of texts.before) if (texts.after.get(k) !== t) differ++;
    notes.push(`${name}: ${differ} of ${texts.before.size} compressed contexts differ`);
    for (const ratio of ratios) {
      const [b, a] = (['before', 'after'] as const).map(
        (m) => ev.rows.find((r) => r.method === m && r.ratio === ratio)!,
      );
      const pct = (r: typeof b) =>
        `${(100 * r!.answerRetention).toFixed(1)}% (${(100 * r!.lower).toFixed(1)}-${(100 * r!.upper).toFixed(1)})`;
      rows.push(
        `| ${name} | ${ratio} | ${a!.n} | ${pct(b)} | ${pct(a)} | ${(100 * (a!.answerRetention - b!.answerRetention)).toFixed(1)} | ${b!.achievedRatio.toFixed(3)} / ${a!.achievedRatio.toFixed(3)} |`,
      );
    }
  }
  return [
    '## tfidf retention, before and after the scorer of issue 15 (XQuAD-en: gold answer present; QMSum: evidence coverage)',
    '',
    `${notes.join('; ')}.`,
    '',
    '| dataset | target ratio | n | retention before (95% CI) | retention after (95% CI) | after - before, points | achieved before / after |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.env.TFIDF_BENCH !== 'retention') console.log(await runTfidfScorerBench());
  if (process.env.TFIDF_BENCH !== 'timing') console.log(await runTfidfRetentionBench());
}

// The retention table on QMSum's long meeting transcripts (281 queries over 35 meetings, about
// 9,500 words each). Retention here is evidence coverage: the token share of the query's
// relevant_text_span turns still present after compression. With `abstractive` (argv: --abstractive)
// the evidence is dropped, as in a QA file of written summaries: answer retention is then 0.00
// uncompressed and does not apply, and the default metric is reference recall.
import { performance } from 'node:perf_hooks';
import { createCompressorRegistry } from '../src/compression/compressor-registry.js';
import { evaluateCompression } from '../src/compression/evaluate-compression.js';
import { loadQaDataset } from '../src/compression/load-qa-dataset.js';
import { recommendRatios } from '../src/compression/recommend-ratios.js';
import { renderCompressionMarkdown } from '../src/compression/render-compression-markdown.js';

/** Runs every method at 0.3/0.5/0.7/0.9 over QMSum; returns the markdown table, chart and decision. */
export async function runQmsumCompressionBench(
  options: { limit?: number; maxDropPoints?: number; abstractive?: boolean } = {},
): Promise<string> {
  const loaded = loadQaDataset('qmsum', { cwd: process.cwd(), limit: options.limit });
  const dataset = options.abstractive
    ? { ...loaded, items: loaded.items.map(({ evidence: _e, ...rest }) => rest) }
    : loaded;
  const t0 = performance.now();
  const ev = await evaluateCompression({
    dataset,
    compressors: [...createCompressorRegistry().values()],
    ratios: [0.3, 0.5, 0.7, 0.9],
  });
  const seconds = (performance.now() - t0) / 1000;
  const maxDropPoints = options.maxDropPoints ?? 2;
  const worst = Math.max(
    ...ev.rows.filter((r) => r.ratio !== null).map((r) => Math.abs(r.achievedRatio - (r.ratio as number))),
  );
  return [
    renderCompressionMarkdown({
      dataset: `qmsum (${dataset.items.length} queries, ${ev.metric}, baseline ${ev.baselineMean?.toFixed(2)})`,
      metric: ev.metric,
      rows: ev.rows,
      decisions: recommendRatios(ev, { maxDropPoints }),
      maxDropPoints,
    }),
    `Largest gap between mean achieved and target ratio: ${worst.toFixed(3)}. Evaluation took ${seconds.toFixed(1)} s.`,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const limit = args.find((a) => /^\d+$/.test(a));
  console.log(
    await runQmsumCompressionBench({
      limit: limit ? Number(limit) : undefined,
      abstractive: args.includes('--abstractive'),
    }),
  );
}

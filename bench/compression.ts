// Compression: milliseconds per 4,000-token context for each method (median, cold), and the token
// saving of the recommended ratio on XQuAD-en. Contexts are the opening 4,000 tokens of real QMSum
// meeting transcripts, each compressed with one of that meeting's own queries.
import { performance } from 'node:perf_hooks';
import { createCompressorRegistry } from '../src/compression/compressor-registry.js';
import { evaluateCompression } from '../src/compression/evaluate-compression.js';
import { loadQaDataset } from '../src/compression/load-qa-dataset.js';
import { clearContextCache } from '../src/compression/prepared-context.js';
import { recommendRatios } from '../src/compression/recommend-ratios.js';
import { truncateToTokens } from '../src/compression/truncate-to-tokens.js';
import { countTokens } from '../src/routing/count-tokens.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One 4,000-token slice (whole lines) per QMSum meeting, with one of its queries. */
function benchContexts(limit: number): { context: string; question: string }[] {
  const items = loadQaDataset('qmsum', { cwd: process.cwd() }).items;
  const byContext = new Map<string, string>();
  for (const it of items) if (!byContext.has(it.context)) byContext.set(it.context, it.question);
  return [...byContext].slice(0, limit).map(([context, question]) => {
    const cut = truncateToTokens(context, 4000);
    return { context: cut.slice(0, cut.lastIndexOf('\n')), question };
  });
}

/** Median cold milliseconds per context for every method at `ratio` (dedup has no target). */
async function timeMethods(
  contexts: { context: string; question: string }[],
  ratio: number,
): Promise<Map<string, number>> {
  const times = new Map<string, number[]>();
  for (const { context, question } of contexts) {
    for (const c of createCompressorRegistry().values()) {
      clearContextCache();
      const t0 = performance.now();
      await c.compress(context, { question, targetRatio: ratio });
      times.set(c.name, [...(times.get(c.name) ?? []), performance.now() - t0]);
    }
  }
  return new Map([...times].map(([name, ms]) => [name, median(ms)]));
}

/** Runs the compression bench; returns a markdown section. */
export async function runCompressionBench(
  options: { contexts?: number; maxDropPoints?: number[] } = {},
): Promise<string> {
  const contexts = benchContexts(options.contexts ?? 20);
  const meanTokens = contexts.reduce((a, c) => a + countTokens(c.context), 0) / contexts.length;
  countTokens('warm up the tokenizer');
  await timeMethods(contexts.slice(0, 2), 0.5); // JIT warm-up, not reported
  const ms = await timeMethods(contexts, 0.5);
  const base = ms.get('tfidf') as number;
  const timing = [...ms].map(([name, t]) => `| ${name} | ${t.toFixed(1)} | ${(t / base).toFixed(2)}x |`);
  const dataset = loadQaDataset('xquad-en', { cwd: process.cwd() });
  const ev = await evaluateCompression({
    dataset,
    compressors: [...createCompressorRegistry().values()],
    ratios: [0.3, 0.5, 0.7, 0.9],
  });
  const saving = (options.maxDropPoints ?? [2, 5, 10]).map((pp) => {
    const d = recommendRatios(ev, { maxDropPoints: pp })[0];
    if (d.kind !== 'compress') return `| ${pp} | ${d.kind === 'none' ? 'none (1.0)' : 'not applicable'} | - | 0 | 0% |`;
    const row = ev.rows.find((r) => r.method === d.method && r.ratio === d.ratio)!;
    return `| ${pp} | ${d.ratio} | ${d.method} (drop ${(100 * d.drop.drop).toFixed(1)}, upper ${(100 * d.drop.upper).toFixed(1)} pts) | ${(row.tokensSaved / row.n).toFixed(1)} | ${((100 * row.tokensSaved) / row.originalTokens).toFixed(1)}% |`;
  });
  return [
    `## Compression: ${contexts.length} contexts of ${Math.round(meanTokens)} tokens (QMSum transcript openings), target ratio 0.5`,
    '',
    'Cold runs: the split/token-count memo is cleared before every call, so each figure includes splitting and counting the context.',
    '',
    '| method | median ms per context | vs tfidf |',
    '|---|---:|---:|',
    ...timing,
    '',
    `### Recommended ratio on XQuAD-en (n=${dataset.items.length}, retention, paired 95% upper bound of the drop)`,
    '',
    '| max drop (points) | ratio | method | tokens saved per question | share saved |',
    '|---:|---|---|---:|---:|',
    ...saving,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runCompressionBench());
}

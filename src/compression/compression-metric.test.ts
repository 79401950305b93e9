import { describe, expect, it } from 'vitest';
import { createCompressorRegistry } from './compressor-registry.js';
import { evaluateCompression } from './evaluate-compression.js';
import { loadQaDataset } from './load-qa-dataset.js';
import { ratiosToApply, recommendRatios } from './recommend-ratios.js';
import { renderCompressionMarkdown } from './render-compression-markdown.js';
import type { QaItem } from './qa-item.js';

/**
 * QMSum's reference answers are written summaries: none occurs verbatim in its transcript. As a
 * user's JSONL file without evidence spans (the contract's format), answer retention is 0 even
 * uncompressed, so it must not drive a ratio. The first three real meetings (about 25 queries).
 */
describe('compression metric on abstractive answers (QMSum)', () => {
  const all = loadQaDataset('qmsum', { cwd: process.cwd() }).items;
  const contexts = [...new Set(all.map((i) => i.context))].slice(0, 3);
  const items: QaItem[] = all.filter((i) => contexts.includes(i.context)).map(({ evidence: _e, ...rest }) => rest);
  const compressors = [createCompressorRegistry().get('tfidf')!];

  it('answer retention is vacuous (baseline 0.00): every result says so and nothing is recommended or applied', async () => {
    const ev = await evaluateCompression({
      dataset: { name: 'qmsum', items },
      compressors,
      ratios: [0.3, 0.7],
      metric: 'retention',
    });
    expect(ev).toMatchObject({ metric: 'retention', baselineMean: 0, applies: false });
    for (const r of ev.rows) expect(r).toMatchObject({ metric: 'retention', baseline: 0, applies: false });
    const decisions = recommendRatios(ev, { maxDropPoints: 5 });
    expect(decisions).toEqual([
      expect.objectContaining({
        group: 'qmsum',
        kind: 'not-applicable',
        ratio: null,
        metric: 'retention',
        baseline: 0,
      }),
    ]);
    expect(decisions[0].kind === 'not-applicable' && decisions[0].reason).toBe(
      'metric does not apply: baseline 0.00 < 0.2 (retention on the uncompressed context)',
    );
    expect(ratiosToApply(decisions)).toEqual({});
    const md = renderCompressionMarkdown({
      dataset: 'qmsum',
      metric: ev.metric,
      rows: ev.rows,
      decisions,
      maxDropPoints: 5,
    });
    expect(md).toContain('Metric does not apply: baseline 0.00 < 0.2');
    expect(md).toContain('- **qmsum**: nothing recommended: metric does not apply: baseline 0.00 < 0.2');
    expect(md).not.toMatch(/ratio 0\.\d with/);
  });

  it('by default picks reference recall, which applies (baseline over 0.2 and below 1) and falls as compression cuts', async () => {
    const ev = await evaluateCompression({ dataset: { name: 'qmsum', items }, compressors, ratios: [0.3, 0.7] });
    expect(ev.metric).toBe('reference-recall');
    expect(ev.applies).toBe(true);
    expect(ev.baselineMean!).toBeGreaterThan(0.2);
    expect(ev.baselineMean!).toBeLessThan(1);
    for (const r of ev.rows)
      expect(r).toMatchObject({ metric: 'reference-recall', baseline: ev.baselineMean, applies: true });
    const at = (x: number) => ev.rows.find((r) => r.ratio === x)!.score;
    expect(at(0.3)).toBeLessThan(at(0.7));
    expect(at(0.7)).toBeLessThanOrEqual(ev.baselineMean! + 1e-9);
    const [d] = recommendRatios(ev, { maxDropPoints: 2 });
    expect(d).toMatchObject({ metric: 'reference-recall', baseline: ev.baselineMean });
    expect(d.kind).not.toBe('not-applicable');
  });

  it('keeps evidence coverage as the retention metric when the items carry evidence', async () => {
    const withEvidence = all.filter((i) => i.context === contexts[0]);
    const ev = await evaluateCompression({
      dataset: { name: 'qmsum', items: withEvidence },
      compressors,
      ratios: [0.5],
    });
    expect(ev).toMatchObject({ metric: 'retention', baselineMean: 1, applies: true });
  });
});

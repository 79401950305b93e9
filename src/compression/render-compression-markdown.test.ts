import { describe, expect, it } from 'vitest';
import type { CompressionRow } from './compression-row.js';
import { renderCompressionMarkdown } from './render-compression-markdown.js';

const row = (
  method: string,
  ratio: number | null,
  retention: number,
  extra: Partial<CompressionRow> = {},
): CompressionRow => ({
  method,
  ratio,
  achievedRatio: ratio ?? 1,
  maxRatioError: ratio === null ? null : 0.01,
  n: 400,
  metric: 'retention',
  baseline: 0.99,
  applies: true,
  score: retention,
  scoreLower: retention - 0.04,
  scoreUpper: Math.min(1, retention + 0.03),
  answerRetention: retention,
  lower: retention - 0.04,
  upper: Math.min(1, retention + 0.03),
  originalTokens: 60_000,
  compressedTokens: Math.round(60_000 * (ratio ?? 1)),
  tokensSaved: 60_000 - Math.round(60_000 * (ratio ?? 1)),
  ...extra,
});

describe('renderCompressionMarkdown', () => {
  it('renders the table and the decisions (the curve is an SVG chart now, not mermaid)', async () => {
    const md = renderCompressionMarkdown({
      dataset: 'xquad-en',
      metric: 'retention',
      maxDropPoints: 2,
      rows: [
        row('tfidf', 0.5, 0.89),
        row('tfidf', 0.9, 0.985),
        row('structural', 0.5, 0.54),
        row('structural', 0.9, 0.88),
        row('dedup', null, 1),
      ],
      decisions: [
        {
          group: 'qa',
          kind: 'compress',
          method: 'tfidf',
          ratio: 0.9,
          n: 400,
          drop: { n: 400, drop: 0.004, lower: -0.002, upper: 0.018, method: 'newcombe-paired' },
        },
        {
          group: 'extract_invoice',
          kind: 'none',
          ratio: 1,
          n: 50,
          reason:
            "no ratio at or above the extraction floor 0.7 keeps the drop's 95% upper bound within 2 points (n=50)",
        },
      ],
    });
    await expect(md).toMatchFileSnapshot('__snapshots__/compression-report.md');
    expect(md).not.toContain('mermaid');
  });

  it('lists dropped extraction fields per method and ratio', () => {
    const md = renderCompressionMarkdown({
      dataset: 'd',
      metric: 'retention',
      maxDropPoints: 2,
      rows: [
        row('tfidf', 0.3, 0.9, {
          fieldDrops: { vendor: { present: 6, dropped: 6 }, total: { present: 6, dropped: 0 } },
        }),
      ],
      decisions: [],
    });
    expect(md).toContain('| tfidf | 0.30 | vendor | 6 | 6 (!) |');
    expect(md).toContain('| tfidf | 0.30 | total | 6 | 0 |');
  });

  it('adds accuracy columns when a reference model answered', () => {
    const acc = { exactMatch: 0.7, lower: 0.65, upper: 0.75, f1: 0.8 };
    const md = renderCompressionMarkdown({
      dataset: 'd',
      metric: 'exact-match',
      maxDropPoints: 2,
      rows: [row('tfidf', 0.5, 0.9, { accuracy: acc, baselineAccuracy: { ...acc, exactMatch: 0.8 } })],
      decisions: [],
    });
    expect(md).toContain('| EM (95% CI) | F1 | EM full context |');
    expect(md).toContain('70.0% (65.0%-75.0%) | 0.800 | 80.0%');
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../text/normalize-answer.js';
import { createCompressorRegistry } from './compressor-registry.js';
import { evaluateCompression } from './evaluate-compression.js';
import { loadQaDataset } from './load-qa-dataset.js';
import { scoreRetention } from './score-retention.js';

/** XQuAD in Chinese and Thai (bundled, 1,190 questions each): scripts written without spaces. */
describe.each(['xquad-zh', 'xquad-th'])('compression retention on %s', (name) => {
  const { items } = loadQaDataset(name, { cwd: process.cwd() });

  it('has 1,190 questions over 240 contexts whose answers are substrings of their context', () => {
    expect(items).toHaveLength(1190);
    expect(new Set(items.map((i) => i.context)).size).toBe(240);
    expect(items.every((i) => i.answers.every((a) => i.context.includes(a)))).toBe(true);
  });

  it('finds every gold answer in its uncompressed context: retention 100%', () => {
    const missing = items.filter((i) => scoreRetention(i, normalizeAnswer(i.context)) !== 1);
    expect(missing.map((i) => i.answers[0])).toEqual([]);
  });

  it('evaluates compression with retention as the metric, baseline 1.00', async () => {
    const ev = await evaluateCompression({
      dataset: { name, items: items.slice(0, 60) },
      compressors: [createCompressorRegistry().get('tfidf')!],
      ratios: [0.5],
    });
    expect(ev).toMatchObject({ metric: 'retention', baselineMean: 1, applies: true });
    expect(ev.rows[0].score).toBeLessThan(1);
    expect(ev.rows[0].score).toBeGreaterThan(0);
  });
});

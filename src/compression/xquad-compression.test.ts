import { beforeAll, describe, expect, it } from 'vitest';
import { createCompressorRegistry } from './compressor-registry.js';
import { evaluateCompression, type CompressionEvaluation } from './evaluate-compression.js';
import { loadQaDataset } from './load-qa-dataset.js';

/** The real bundled XQuAD-en (1,190 questions over 240 contexts), every method at four ratios. */
describe('compression on the bundled XQuAD-en', () => {
  const ratios = [0.3, 0.5, 0.7, 0.9];
  let ev: CompressionEvaluation;
  beforeAll(async () => {
    const dataset = loadQaDataset('xquad-en', { cwd: process.cwd() });
    ev = await evaluateCompression({ dataset, compressors: [...createCompressorRegistry().values()], ratios });
  });

  it('loads all 1,190 questions', () => {
    expect(ev.rows.every((r) => r.n === 1190)).toBe(true);
    expect(ev.baseline.filter((b) => b === 1).length).toBeGreaterThanOrEqual(1185);
  });

  it('lands within 0.05 of every target ratio for every ratio-targeting method', () => {
    const targeted = ev.rows.filter((r) => r.ratio !== null);
    expect(targeted).toHaveLength(12);
    for (const r of targeted) {
      expect(Math.abs(r.achievedRatio - (r.ratio as number)), `${r.method}@${r.ratio} mean`).toBeLessThanOrEqual(0.05);
      // and for every single one of the 1,190 compressions, not just on average
      expect(r.maxRatioError, `${r.method}@${r.ratio} worst item`).toBeLessThanOrEqual(0.05);
    }
  });

  it('keeps at least 10 points more answers with tfidf than with structural at 0.5', () => {
    const at = (m: string) => ev.rows.find((r) => r.method === m && r.ratio === 0.5)!;
    expect(at('tfidf').answerRetention - at('structural').answerRetention).toBeGreaterThanOrEqual(0.1);
    // and the intervals do not overlap, so the gap is not noise
    expect(at('tfidf').lower).toBeGreaterThan(at('structural').upper);
  });

  it('reports retention with a 95% interval that widens as retention nears one half', () => {
    for (const r of ev.rows) {
      expect(r.lower).toBeLessThanOrEqual(r.answerRetention);
      expect(r.upper).toBeGreaterThanOrEqual(r.answerRetention);
    }
    const width = (m: string, x: number) => ev.rows.find((r) => r.method === m && r.ratio === x)!;
    expect(width('structural', 0.5).upper - width('structural', 0.5).lower).toBeGreaterThan(
      width('tfidf', 0.9).upper - width('tfidf', 0.9).lower,
    );
  });

  it('finds no repetition to drop in short encyclopedic paragraphs', () => {
    const dedup = ev.rows.find((r) => r.method === 'dedup')!;
    expect(dedup.achievedRatio).toBeGreaterThan(0.995);
  });
});

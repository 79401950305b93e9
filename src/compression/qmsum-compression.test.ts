import { describe, expect, it } from 'vitest';
import { createCompressorRegistry } from './compressor-registry.js';
import { evaluateCompression } from './evaluate-compression.js';
import { loadQaDataset } from './load-qa-dataset.js';

/**
 * The first three real QMSum meetings (long transcripts, 20+ queries); the full 281-query table is
 * bench/compression-qmsum.ts, which takes about a minute.
 */
describe('compression on QMSum transcripts', () => {
  it('lands within 0.05 of every target on long contexts and keeps more evidence with tfidf than structural', async () => {
    const all = loadQaDataset('qmsum', { cwd: process.cwd() }).items;
    const contexts = [...new Set(all.map((i) => i.context))].slice(0, 3);
    const items = all.filter((i) => contexts.includes(i.context));
    const registry = createCompressorRegistry();
    const ev = await evaluateCompression({
      dataset: { name: 'qmsum', items },
      compressors: [registry.get('tfidf')!, registry.get('structural')!, registry.get('dedup')!],
      ratios: [0.3, 0.5, 0.7, 0.9],
    });
    for (const r of ev.rows.filter((x) => x.ratio !== null))
      expect(Math.abs(r.achievedRatio - (r.ratio as number)), `${r.method}@${r.ratio}`).toBeLessThanOrEqual(0.05);
    const at = (m: string, x: number) => ev.rows.find((r) => r.method === m && r.ratio === x)!.answerRetention;
    expect(at('tfidf', 0.5)).toBeGreaterThan(at('structural', 0.5));
    // Meetings repeat themselves ("Yeah.", "Okay."), so dedup finds something to drop.
    expect(ev.rows.find((r) => r.method === 'dedup')!.achievedRatio).toBeLessThan(0.99);
  });
});

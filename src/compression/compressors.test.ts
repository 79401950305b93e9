import { describe, expect, it } from 'vitest';
import { countTokens } from '../routing/count-tokens.js';
import { createCompressorRegistry, createTfidfDedupCompressor } from './compressor-registry.js';
import { createDedupCompressor } from './dedup-compressor.js';
import { createStructuralCompressor } from './structural-compressor.js';
import { createTfidfCompressor } from './tfidf-compressor.js';

const filler = (i: number) =>
  `Paragraph ${i} describes routine operations of the warehouse team in plain words number ${i}.`;
const doc = [
  ...Array.from({ length: 10 }, (_, i) => filler(i)),
  'The refund policy allows customers a full refund within 30 days of purchase.',
  ...Array.from({ length: 10 }, (_, i) => filler(i + 10)),
].join(' ');

describe('tfidf compressor', () => {
  it('keeps the sentence that answers the question and lands on the target ratio', () => {
    const out = createTfidfCompressor().compress(doc, {
      question: 'How many days do customers have for a refund?',
      targetRatio: 0.3,
    });
    if (out instanceof Promise) throw new Error('sync expected');
    expect(out.text).toContain('full refund within 30 days');
    expect(Math.abs(out.achievedRatio - 0.3)).toBeLessThanOrEqual(0.05);
    expect(out.compressedTokens).toBe(countTokens(out.text));
    expect(out.originalTokens).toBe(countTokens(doc));
  });

  it('scores question words that are Object.prototype names like any other', () => {
    const text =
      'The bridge opened in 1932. Its constructor was John Bradfield. The toll is four dollars. Many people cross daily. Ferries also run.';
    const out = createTfidfCompressor().compress(text, { question: 'Who was the constructor?', targetRatio: 0.3 }) as {
      text: string;
    };
    expect(out.text).toContain('constructor was John');
  });

  it('keeps kept sentences in original order', () => {
    const out = createTfidfCompressor().compress(doc, {
      question: 'paragraph 3 and paragraph 15 refund',
      targetRatio: 0.5,
    }) as { text: string };
    const a = out.text.indexOf('Paragraph 3 ');
    const b = out.text.indexOf('refund policy');
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
  });

  it('returns the text unchanged at ratio 1 and rejects ratios outside (0, 1]', () => {
    expect((createTfidfCompressor().compress(doc, { targetRatio: 1 }) as { text: string }).text).toBe(doc);
    expect(() => createTfidfCompressor().compress(doc, { targetRatio: 1.5 })).toThrow(/targetRatio/);
  });
});

describe('structural compressor', () => {
  it('keeps the opening, the closing and section headers', () => {
    const text = `INTRODUCTION\n${doc}\nRESULTS:\n${doc}`;
    const out = createStructuralCompressor().compress(text, { targetRatio: 0.3 }) as {
      text: string;
      achievedRatio: number;
    };
    expect(out.text.startsWith('INTRODUCTION\nParagraph 0')).toBe(true);
    expect(out.text).toContain('RESULTS:');
    expect(out.text.endsWith('number 19.')).toBe(true);
    expect(Math.abs(out.achievedRatio - 0.3)).toBeLessThanOrEqual(0.05);
  });
});

describe('dedup compressor', () => {
  it('reports ratio 1.0 and the text unchanged when nothing repeats', () => {
    const out = createDedupCompressor().compress(doc) as { text: string; achievedRatio: number };
    expect(out.text).toBe(doc);
    expect(out.achievedRatio).toBe(1);
  });

  it('drops near-duplicate sentences and keeps the first occurrence', () => {
    const text =
      'The meeting starts at nine in room four. Budget is fixed. The meeting starts at nine in room four! Lunch is at noon.';
    const out = createDedupCompressor().compress(text) as { text: string; achievedRatio: number };
    expect(out.text).toBe('The meeting starts at nine in room four. Budget is fixed. Lunch is at noon.');
    expect(out.achievedRatio).toBeLessThan(1);
  });
});

describe('tfidf+dedup compressor', () => {
  it('dedups, then compresses to the target ratio of the original', async () => {
    const repeated = `${doc} ${doc}`;
    const out = await createTfidfDedupCompressor().compress(repeated, { question: 'refund days', targetRatio: 0.3 });
    expect(Math.abs(out.achievedRatio - 0.3)).toBeLessThanOrEqual(0.05);
    expect(out.text.match(/refund policy/g)).toHaveLength(1);
  });
});

describe('createCompressorRegistry', () => {
  it('lists the built-ins and accepts external compressors', () => {
    const external = {
      name: 'llmlingua2',
      targetsRatio: true,
      usesQuestion: false,
      compress: () => ({ text: '', achievedRatio: 0, originalTokens: 0, compressedTokens: 0 }),
    };
    expect([...createCompressorRegistry([external]).keys()]).toEqual([
      'tfidf',
      'structural',
      'dedup',
      'tfidf+dedup',
      'llmlingua2',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { loadQaDataset } from './load-qa-dataset.js';

describe('bundled QA datasets', () => {
  it('converts XQuAD-en (SQuAD json) into 1,190 questions over 240 contexts, answers being spans of their context', () => {
    const { items } = loadQaDataset('xquad-en', { cwd: process.cwd() });
    expect(items).toHaveLength(1190);
    expect(new Set(items.map((i) => i.context)).size).toBe(240);
    expect(items.every((i) => i.answers.every((a) => i.context.includes(a)))).toBe(true);
    expect(items[0]).toMatchObject({
      question: 'How many points did the Panthers defense surrender?',
      answers: ['308'],
    });
  });

  it('converts QMSum into 281 queries over 35 transcripts with evidence turns from the relevant spans', () => {
    const { items } = loadQaDataset('qmsum', { cwd: process.cwd() });
    expect(items).toHaveLength(281);
    expect(new Set(items.map((i) => i.context)).size).toBe(35);
    expect(items.filter((i) => i.id.includes('-g'))).toHaveLength(37);
    for (const it of items) {
      expect(it.evidence?.length).toBeGreaterThan(0);
      expect(it.evidence?.every((turn) => it.context.includes(turn))).toBe(true);
    }
    const words = items.map((i) => i.context.split(/\s+/).length);
    expect(words.reduce((a, b) => a + b, 0) / words.length).toBeGreaterThan(7000);
  });

  it('applies --limit and rejects an unknown name that is not a file', () => {
    expect(loadQaDataset('xquad-en', { cwd: process.cwd(), limit: 5 }).items).toHaveLength(5);
    expect(() => loadQaDataset('squad-v9', { cwd: process.cwd() })).toThrow(InputError);
  });
});

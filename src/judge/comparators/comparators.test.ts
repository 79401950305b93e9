import { describe, expect, it } from 'vitest';
import { exactLabel } from './exact-label.js';
import { compareAnswer, comparatorFor, defaultComparatorFor } from './index.js';
import { jsonFields } from './json-fields.js';
import { finalNumber, numericAnswer } from './numeric-answer.js';
import { tokenF1 } from './token-f1.js';

describe('comparators', () => {
  it('exact-label ignores case, whitespace, quotes and a trailing period', () => {
    expect(exactLabel(' "Billing." ', 'billing').value).toBe(1);
    expect(exactLabel('refund', 'billing').value).toBe(0);
    expect(exactLabel('x', '  ').value).toBeNull();
  });

  it('numeric-answer reads #### n or the concluding number, ignoring $ , and <<calc>> annotations (more in numeric-answer.test.ts)', () => {
    expect(finalNumber('so 9 * $2 = $<<9*2=18>>18.\n#### 18')).toBe(18);
    expect(finalNumber('worth 80,000 + 50,000 = $130,000 total')).toBe(130000);
    expect(finalNumber('no digits')).toBeNull();
    expect(numericAnswer('The answer is 3.', 'blah\n#### 3').value).toBe(1);
    expect(numericAnswer('#### 4', '#### 3').value).toBe(0);
    expect(numericAnswer('4', 'none').value).toBeNull();
    expect(numericAnswer('no number at all', '#### 3').value).toBeNull();
  });

  it('json-fields scores the share of reference fields reproduced', () => {
    expect(jsonFields('```json\n{"a": "X", "b": 2}\n```', '{"a":"x","b":2}').value).toBe(1);
    expect(jsonFields('{"a": "y", "b": 2}', '{"a":"x","b":2}').value).toBe(0.5);
    expect(jsonFields('not json', '{"a":1}').value).toBe(0);
  });

  it('token-f1 computes SQuAD F1', () => {
    expect(tokenF1('the cat sat', 'a cat sat down').value).toBeCloseTo(0.8, 10);
    expect(compareAnswer('token-f1', 'cat', 'cat sat on mat', 0.5).pass).toBe(false);
  });

  it('picks a default by task name and rejects unknown configured names', () => {
    expect(defaultComparatorFor('gsm8k_math')).toBe('numeric-answer');
    expect(defaultComparatorFor('intent_classification')).toBe('exact-label');
    expect(defaultComparatorFor('summarize')).toBe('token-f1');
    expect(comparatorFor('x', { x: 'json-fields' })).toBe('json-fields');
    expect(() => comparatorFor('x', { x: 'nope' })).toThrow(/judge.comparators.x: unknown comparator "nope"/);
  });
});

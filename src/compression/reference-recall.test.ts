import { describe, expect, it } from 'vitest';
import { contentTokens, referenceRecall } from './reference-recall.js';

describe('contentTokens', () => {
  it('drops stop words, keeps numbers and stems English words', () => {
    expect([...contentTokens('The team discussed the 12 remote controls.')]).toEqual([
      'team',
      'discuss',
      '12',
      'remot',
      'control',
    ]);
  });

  it('segments scripts without spaces into words', () => {
    expect(contentTokens('中华人民共和国成立于1949年').has('成立')).toBe(true);
    expect(contentTokens('ประเทศไทยมีพระมหากษัตริย์').size).toBeGreaterThan(2);
  });
});

describe('referenceRecall', () => {
  const context = contentTokens('Anna: we decided on a red case. Bob: the budget is twelve euros per unit.');
  it('is the share of each reference\u2019s content tokens in the context, averaged over references', () => {
    expect(referenceRecall(['They decided on a red case.'], context)).toBe(1);
    expect(
      referenceRecall(['They decided on a red case.', 'The budget was raised to fifty euros.'], context),
    ).toBeCloseTo((1 + 2 / 4) / 2, 10); // budget, euro of budget, rais, fifti, euro
  });

  it('is 0 when nothing of the reference is in the context, and skips references without content words', () => {
    expect(referenceRecall(['Marketing wants yellow.'], context)).toBe(0);
    expect(referenceRecall(['The of and.', 'red case'], context)).toBe(1);
  });
});

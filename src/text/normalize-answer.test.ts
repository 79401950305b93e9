import { describe, expect, it } from 'vitest';
import { containsNormalized, exactMatch, normalizeAnswer, tokenF1 } from './normalize-answer.js';

describe('normalizeAnswer', () => {
  it('lower-cases and drops punctuation, articles and extra whitespace (SQuAD)', () => {
    expect(normalizeAnswer("  The  Panthers' defense, an A-grade unit! ")).toBe('panthers defense grade unit');
  });
});

describe('containsNormalized', () => {
  it('matches on word boundaries only', () => {
    const hay = normalizeAnswer('They scored 308 points in 1990.');
    expect(containsNormalized(hay, '308 points')).toBe(true);
    expect(containsNormalized(hay, '199')).toBe(false);
    expect(containsNormalized(hay, '')).toBe(false);
  });
});

describe('containsNormalized in scripts written without spaces', () => {
  it.each([
    ['中华人民共和国成立于1949年。', '1949年'],
    ['中华人民共和国成立于1949年。', '人民共和国'],
    ['他们使用GPS系统导航。', 'GPS'],
    ['กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย', 'เมืองหลวง'],
    ['東京は日本の首都です', '日本'],
    ['ນະຄອນຫຼວງວຽງຈັນ', 'ວຽງຈັນ'],
  ])('finds an answer inside %j without word boundaries: %j', (hay, needle) => {
    expect(containsNormalized(normalizeAnswer(hay), needle)).toBe(true);
  });

  it('keeps word boundaries for spaced scripts, also next to them', () => {
    expect(containsNormalized(normalizeAnswer('他们使用GPSX系统'), 'GPS')).toBe(false);
    expect(containsNormalized(normalizeAnswer('The defense gave up 3080 points'), '308')).toBe(false);
    expect(containsNormalized(normalizeAnswer('成立于1949年'), '北京')).toBe(false);
  });
});

describe('exactMatch and tokenF1', () => {
  it('score like the SQuAD script', () => {
    expect(exactMatch('the Denver Broncos', ['Denver Broncos'])).toBe(1);
    expect(exactMatch('Broncos', ['Denver Broncos'])).toBe(0);
    expect(tokenF1('Broncos', ['Denver Broncos'])).toBeCloseTo(2 / 3, 10);
    expect(tokenF1('Carolina', ['Denver Broncos', 'Carolina Panthers'])).toBeCloseTo(2 / 3, 10);
    expect(tokenF1('nothing', ['Denver Broncos'])).toBe(0);
  });
});

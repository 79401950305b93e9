import { describe, expect, it } from 'vitest';
import {
  CHEAP_MODEL,
  loadBanking77,
  loadGsm8kRecordings,
  loadMtBenchRecordings,
  PREMIUM_MODEL,
} from './load-recordings.js';

describe('loadGsm8kRecordings', () => {
  it('joins RouteLLM answers with the gold solutions and keeps the published accuracies', () => {
    const recs = loadGsm8kRecordings();
    expect(recs).toHaveLength(1319);
    expect(recs.every((r) => r.reference?.includes('####'))).toBe(true);
    const acc = (m: string) => recs.filter((r) => r.labels![m]).length / recs.length;
    // SOURCE.md: 85.7% (GPT-4 Turbo) vs 63.8% (Mixtral)
    expect(acc(PREMIUM_MODEL)).toBeCloseTo(0.857, 2);
    expect(acc(CHEAP_MODEL)).toBeCloseTo(0.638, 2);
  });
});

describe('loadMtBenchRecordings', () => {
  it('cuts both models first-turn answers out of the judge prompts', () => {
    const recs = loadMtBenchRecordings();
    expect(recs).toHaveLength(80);
    expect(recs.every((r) => r.responses[CHEAP_MODEL] && r.responses[PREMIUM_MODEL])).toBe(true);
    expect(recs[0].prompt).toMatch(/travel blog post about a recent trip to Hawaii/);
  });
});

describe('loadBanking77', () => {
  it('reads both splits', () => {
    expect(loadBanking77('test')).toHaveLength(3080);
    expect(loadBanking77('train')).toHaveLength(10003);
  });
});

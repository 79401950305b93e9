import { describe, expect, it } from 'vitest';
import { countTokens } from '../routing/count-tokens.js';
import { normalizeAnswer } from './normalize-answer.js';
import { scoreRetention } from './score-retention.js';

const item = { id: 'q', context: 'unused', question: 'q', answers: ['308 points', 'three hundred eight'] };

describe('scoreRetention', () => {
  it('is 1 when any gold answer survives (normalised), else 0', () => {
    expect(scoreRetention(item, normalizeAnswer('The defense gave up 308 Points.'))).toBe(1);
    expect(scoreRetention(item, normalizeAnswer('The defense gave up 3080 points.'))).toBe(0);
  });

  it('with evidence, is the token-weighted share of evidence sentences still present', () => {
    const a = 'Anna: We agreed on the red case.';
    const b = 'The budget stays at twelve euros per unit, as marketing asked.';
    const withEvidence = { ...item, evidence: [`${a} ${b}`] };
    const kept = normalizeAnswer(`Intro. ${b} Outro.`);
    expect(scoreRetention(withEvidence, kept)).toBeCloseTo(countTokens(b) / (countTokens(a) + countTokens(b)), 10);
    expect(scoreRetention(withEvidence, normalizeAnswer(`${a} ${b}`))).toBe(1);
    expect(scoreRetention(withEvidence, normalizeAnswer('Something else entirely.'))).toBe(0);
  });

  it('does not count a cut-off evidence sentence', () => {
    const withEvidence = { ...item, evidence: ['The budget stays at twelve euros per unit.'] };
    expect(scoreRetention(withEvidence, normalizeAnswer('The budget stays at twelve'))).toBe(0);
  });
});

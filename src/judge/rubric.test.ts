import { describe, expect, it } from 'vitest';
import { buildJudgePrompt } from './build-judge-prompt.js';
import { loadRubric } from './rubric.js';

describe('cache-hit-validity rubric', () => {
  it('asks whether the cached answer answers the NEW query, not whether the queries look alike', () => {
    const r = loadRubric('cache-hit-validity');
    const { prompt } = buildJudgePrompt(r, {
      input: 'When will my card arrive?',
      candidate: 'Link your card in the app.',
      reference: 'Cards arrive in 5 days.',
    });
    expect(prompt).toMatch(/does the CANDIDATE correctly and completely answer the NEW query\?/);
    expect(prompt).toMatch(/Do not judge whether the earlier query resembled the new one/);
    // the blocks the template names are the ones buildJudgePrompt renders
    for (const block of ['REQUEST', 'REFERENCE', 'CANDIDATE'])
      expect(prompt).toContain(`${block} answer:`.replace('REQUEST answer:', 'REQUEST:'));
    for (const what of ['number', 'identifier', 'negation']) expect(prompt).toContain(what);
  });
});

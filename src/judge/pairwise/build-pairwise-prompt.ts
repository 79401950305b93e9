import { untrustedBlock } from '../build-judge-prompt.js';
import type { Rubric } from '../rubric.js';

/** What a pairwise request shows: the request and the two answers in the order asked (A, then B). */
export interface PairwiseSubject {
  input: string;
  first: string;
  second: string;
}

/** The system and user prompt of one pairwise comparison (a `pairwise` rubric; each piece delimited as untrusted data). */
export function buildPairwisePrompt(rubric: Rubric, s: PairwiseSubject): { system: string; prompt: string } {
  const blocks: Record<string, string> = {
    '{{input}}': `REQUEST:\n${untrustedBlock('request', s.input)}`,
    '{{first}}': `ANSWER A:\n${untrustedBlock('answer-a', s.first)}`,
    '{{second}}': `ANSWER B:\n${untrustedBlock('answer-b', s.second)}`,
  };
  // one pass, so text inserted for one placeholder is never scanned for another
  const prompt = rubric.template.replace(/\{\{(input|first|second)\}\}/g, (m) => blocks[m]);
  return { system: rubric.system, prompt };
}

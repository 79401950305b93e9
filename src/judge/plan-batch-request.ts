import { buildJudgePrompt } from './build-judge-prompt.js';
import type { ClaimedSample } from './judge-queries.js';
import type { JudgeRequest } from './judge-client.js';
import { loadRubric, type Rubric } from './rubric.js';

/** A batch request for one sample, and the rubric name its verdict is stored under. */
export interface BatchPlan {
  request: JudgeRequest;
  method: string;
}

/** Why a sample cannot go into a batch. */
export type NotBatchable = { kind: 'unjudgeable'; reason: string } | { kind: 'needs-realtime'; reason: string };

/**
 * The same rubric prompt the real-time judge sends (routing-agreement or cache-hit-validity). A sample
 * without an answer is unjudgeable; one without a recorded reference needs the real-time judge, which
 * first asks the reference model for its own answer.
 */
export function planBatchRequest(
  s: ClaimedSample,
  rubrics: (source: ClaimedSample['source']) => Rubric = defaultRubrics(),
): BatchPlan | NotBatchable {
  if (s.candidate === null || s.candidate.trim() === '')
    return { kind: 'unjudgeable', reason: 'no answer recorded for this event' };
  if (s.reference === null || s.reference.trim() === '')
    return { kind: 'needs-realtime', reason: 'no reference recorded: run judge without --batch to fetch one' };
  const rubric = rubrics(s.source);
  const { system, prompt } = buildJudgePrompt(rubric, {
    input: s.input,
    candidate: s.candidate,
    reference: s.reference,
  });
  return { request: { customId: `sample-${s.id}`, system, prompt, maxTokens: rubric.maxTokens }, method: rubric.name };
}

function defaultRubrics(): (source: ClaimedSample['source']) => Rubric {
  const cache = new Map<string, Rubric>();
  return (source) => {
    const name = source === 'cache' ? 'cache-hit-validity' : 'routing-agreement';
    if (!cache.has(name)) cache.set(name, loadRubric(name));
    return cache.get(name)!;
  };
}

import type { VerdictRow } from './judge-queries.js';

/**
 * What an empty or missing answer is (driftwatch.yaml `judge.emptyAnswer`): a failure (default: an
 * empty-output failure mode must show in the rates and the CUSUM) or unjudgeable (left out, counted
 * as unjudgeable in the judge summary).
 */
export type EmptyAnswerPolicy = 'fail' | 'unjudgeable';

export const EMPTY_ANSWER_REASON = 'no answer recorded for this event';

/** True when the served answer is missing or only whitespace. */
export function isEmptyAnswer(candidate: string | null | undefined): boolean {
  return candidate === null || candidate === undefined || candidate.trim() === '';
}

/** The verdict an empty answer gets under `policy`: a free offline `fail` (method `empty-answer`), or unjudgeable. */
export function emptyAnswerOutcome(
  policy: EmptyAnswerPolicy = 'fail',
): { kind: 'verdict'; row: VerdictRow } | { kind: 'unjudgeable'; reason: string } {
  if (policy === 'unjudgeable') return { kind: 'unjudgeable', reason: EMPTY_ANSWER_REASON };
  return {
    kind: 'verdict',
    row: {
      verdict: 'fail',
      provider: 'offline',
      model: null,
      method: 'empty-answer',
      reason: `${EMPTY_ANSWER_REASON} (judge.emptyAnswer: fail)`,
      inputTokens: null,
      outputTokens: null,
      costUsd: 0,
    },
  };
}

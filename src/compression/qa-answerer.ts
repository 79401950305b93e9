import type { JudgeClient } from '../judge/judge-client.js';

/** Answers a question from a context with the reference model; returns the answer text. */
export type QaAnswerer = (input: { customId: string; context: string; question: string }, signal?: AbortSignal) => Promise<string>;

const SYSTEM = 'Answer the question using only the context. Reply with the shortest span or phrase that answers it, nothing else.';

/**
 * A QaAnswerer over the JudgeClient port (real-time `complete`). The context is delimited as
 * data; the reply is trimmed and used as the prediction for exact match and token F1.
 */
export function createJudgeAnswerer(judge: JudgeClient, options: { maxTokens?: number } = {}): QaAnswerer {
  return async ({ customId, context, question }, signal) => {
    const prompt = `<context>\n${context}\n</context>\n\nQuestion: ${question}\nAnswer:`;
    const reply = await judge.complete({ customId, system: SYSTEM, prompt, maxTokens: options.maxTokens ?? 64 }, { signal });
    return reply.text.trim();
  };
}

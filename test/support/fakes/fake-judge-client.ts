import type { BatchItemResult, JudgeClient, JudgeReply, JudgeRequest } from '../../../src/judge/judge-client.js';

/** An injected JudgeClient for orchestration tests: `answer` decides each reply (text) or throws. */
export function makeFakeJudgeClient(
  answer: (req: JudgeRequest) => string,
  overrides: { model?: string; provider?: 'anthropic' | 'openai' } = {},
): JudgeClient & { requests: JudgeRequest[] } {
  const requests: JudgeRequest[] = [];
  const model = overrides.model ?? 'gpt-4o';
  return {
    provider: overrides.provider ?? 'openai',
    model,
    requests,
    async complete(req: JudgeRequest): Promise<JudgeReply> {
      requests.push(req);
      const text = answer(req);
      // usage as a provider would report it: roughly 4 characters a token, output well under maxTokens
      return {
        customId: req.customId,
        text,
        model,
        usage: {
          inputTokens: Math.ceil((req.system.length + req.prompt.length) / 4),
          outputTokens: Math.ceil(text.length / 4),
        },
      };
    },
    async startBatch(): Promise<{ batchId: string }> {
      throw new Error('batch not used in these tests');
    },
    async checkBatch(): Promise<{ status: 'ended'; done: number; total: number }> {
      throw new Error('batch not used in these tests');
    },
    async *readBatch(): AsyncIterable<BatchItemResult> {
      yield* [];
    },
  };
}

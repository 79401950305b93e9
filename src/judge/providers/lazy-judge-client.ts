import type { JudgeClient } from '../judge-client.js';

/** What a client reports before its SDK is loaded (messages and run records name it). */
export interface JudgeClientIdentity {
  provider: JudgeClient['provider'];
  model: string;
  baseUrl: string;
}

/**
 * A JudgeClient whose SDK adapter is built by `load` on the first call, once: a run that ends up
 * making no reference-model call (nothing pending, every sample settled offline) never loads an SDK.
 */
export function createLazyJudgeClient(who: JudgeClientIdentity, load: () => Promise<JudgeClient>): JudgeClient {
  let loaded: Promise<JudgeClient> | undefined;
  const client = () => (loaded ??= load());
  return {
    provider: who.provider,
    model: who.model,
    baseUrl: who.baseUrl,
    complete: async (req, options) => (await client()).complete(req, options),
    startBatch: async (reqs) => (await client()).startBatch(reqs),
    checkBatch: async (batchId) => (await client()).checkBatch(batchId),
    async *readBatch(batchId) {
      yield* (await client()).readBatch(batchId);
    },
  };
}

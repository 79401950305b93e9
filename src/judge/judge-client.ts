import type { JudgeProvider } from './judge-providers.js';

/**
 * The narrow port over the reference-model SDKs (Anthropic, OpenAI and OpenAI-compatible).
 * Real-time calls go through `complete`; batch runs through start/check/read, where
 * results are matched by `customId`, never by order, and batch ids are stored so a
 * restarted process can resume.
 */
export interface JudgeRequest {
  /** Stable id of the request; batch results are matched on it. */
  customId: string;
  system: string;
  prompt: string;
  maxTokens: number;
}

export interface JudgeUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface JudgeReply {
  customId: string;
  text: string;
  model: string;
  usage: JudgeUsage;
}

export type BatchStatus = 'in_progress' | 'ended' | 'failed' | 'expired' | 'canceled';

export interface BatchItemResult {
  customId: string;
  reply?: JudgeReply;
  /** Set when this one request failed inside the batch; the sample stays pending. */
  error?: string;
}

/** How one HTTP attempt of a call ended, for the budget: may the provider have billed it? */
export type AttemptOutcome = 'answered' | 'not_billed' | 'maybe_billed';

/**
 * Budget hooks around each attempt the SDK makes for one call (retries included): `before(n)`
 * (n = 0 for the first attempt) returns false to stop the call; `after` reports the outcome.
 */
export interface AttemptHooks {
  before(attempt: number): boolean;
  after(outcome: AttemptOutcome): void;
}

export interface JudgeClient {
  readonly provider: JudgeProvider;
  readonly model: string;
  /** Where the calls go (the SDK's base URL), for messages; never carries a key. */
  readonly baseUrl?: string;
  complete(req: JudgeRequest, options?: { signal?: AbortSignal; attempts?: AttemptHooks }): Promise<JudgeReply>;
  startBatch(reqs: JudgeRequest[]): Promise<{ batchId: string }>;
  checkBatch(batchId: string): Promise<{ status: BatchStatus; done: number; total: number }>;
  readBatch(batchId: string): AsyncIterable<BatchItemResult>;
}

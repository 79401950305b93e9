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

export interface JudgeClient {
  readonly provider: 'anthropic' | 'openai';
  readonly model: string;
  complete(req: JudgeRequest, options?: { signal?: AbortSignal }): Promise<JudgeReply>;
  startBatch(reqs: JudgeRequest[]): Promise<{ batchId: string }>;
  checkBatch(batchId: string): Promise<{ status: BatchStatus; done: number; total: number }>;
  readBatch(batchId: string): AsyncIterable<BatchItemResult>;
}

import type { Db } from '../db/db.js';
import type { EmptyAnswerPolicy } from './empty-answer.js';
import type { JudgeClient } from './judge-client.js';
import type { CallFailures } from './judge-health.js';

/** What runJudge needs from outside; `client` absent = the offline judge. */
export interface JudgeDeps {
  db: Db;
  client?: JudgeClient;
  now: () => Date;
  log?: (message: string) => void;
  /** Name of this worker in samples.claimed_by; unique per process by default. */
  workerId?: string;
  signal?: AbortSignal;
  /** Called after each sample is judged (the CLI throttles it into a progress line on a terminal). */
  progress?: (p: JudgeProgress) => void;
}

/** Where a judge run stands: samples done of those pending at the start, calls and spend so far. */
export interface JudgeProgress {
  done: number;
  /** Pending at the start (capped by --limit); other workers may take some, so done can stay below it. */
  total: number;
  calls: number;
  costUsd: number;
  maxCostUsd?: number;
}

/** Options of one judge run. */
export interface JudgeOptions {
  /** Comparator per task class (config judge.comparators); defaults by task name. */
  comparators?: Record<string, string>;
  /** config judge.emptyAnswer: an empty answer fails (default) or is unjudgeable. */
  emptyAnswer?: EmptyAnswerPolicy;
  /** Pass mark of the token-f1 comparator (default 0.5). */
  f1Threshold?: number;
  /** Hard cap on the run's spend; the call that would pass it is not sent. */
  maxCostUsd?: number;
  /** Samples judged at once (p-limit), default 8. */
  concurrency?: number;
  /** Samples claimed per round trip: default 500 offline, 4 x concurrency with a model. */
  chunkSize?: number;
  /** A claim not renewed for this long returns to the queue (a killed worker), default 30 s. */
  leaseSeconds?: number;
  /** Stop after this many samples were attempted. */
  limit?: number;
  /** Run id to record verdicts under (nightly passes its own); a `judge` run is created otherwise. */
  runId?: string;
  /** Return judge_error samples to pending first, so they are judged (and paid for) again. */
  retryErrors?: boolean;
  /** How long a verdict write is retried after the database connection dropped (default 120 s). */
  dbRetryMs?: number;
}

/** The `judge --json` object: the contract fields plus extras. */
export interface JudgeRunResult {
  judged: number;
  pending: number;
  calls: number;
  costUsd: number;
  stoppedByBudget: boolean;
  callsSaved: number;
  unjudgeable: number;
  /** Samples returned to pending after a retryable failure (429, 5xx, timeouts, connection). */
  failures: number;
  /** Verdicts another worker had already stored (not counted again). */
  duplicates: number;
  provider: 'offline' | 'anthropic' | 'openai';
  model: string | null;
  runId: string;
  /** Failed calls by cause (connection, timeout, auth, rate_limited, server_error, bad_request, malformed, ...). */
  callFailures: CallFailures;
  /** Samples marked judge_error in this run (two unreadable replies; not paid for again without --retry-errors). */
  judgeErrors: number;
  /** judge_error samples returned to pending by --retry-errors. */
  retriedErrors: number;
  /** Part of costUsd kept for calls that may have been billed without an answer (timeouts). */
  unconfirmedCostUsd: number;
}

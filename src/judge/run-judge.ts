import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Db } from '../db/db.js';
import { finishRun, startRun } from '../runs/run-record.js';
import { ConfigError, JudgeError } from '../errors.js';
import { redactSecrets } from '../reports/redact-secrets.js';
import { findPrice } from '../routing/price-catalog.js';
import { comparatorFor } from './comparators/index.js';
import type { EmptyAnswerPolicy } from './empty-answer.js';
import { evaluateAnswer, type EvaluateContext, type Evaluation } from './evaluate-sample.js';
import { JudgeBudget } from './judge-budget.js';
import type { JudgeClient } from './judge-client.js';
import { judgeFailure, JudgeHealth, type CallFailures } from './judge-health.js';
import {
  claimSamples,
  countPending,
  loadSamples,
  markJudgeErrors,
  markUnjudgeable,
  releaseClaims,
  renewClaims,
  resetJudgeErrors,
  writeVerdicts,
  type ClaimedSample,
  type VerdictRow,
} from './judge-queries.js';
import { BudgetStop } from './priced-call.js';
import { retryDbWrite } from './retry-db-write.js';
import { createVerdictWriter, type VerdictWriter } from './verdict-writer.js';

/** A claim older than this returns to the queue; live workers renew theirs every third of it. */
export const DEFAULT_LEASE_SECONDS = 30;

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

/**
 * Judges pending samples: claims them in chunks (SKIP LOCKED, leased and renewed), judges each
 * cheapest-first under the hard budget, and stores each paid verdict the moment it arrives (a
 * dropped database connection is retried; the verdict waits in memory). An unreadable reply is
 * retried once, then the sample is marked judge_error. Retryable failures, budget stops and
 * shutdown return the sample to pending. A judge that could not judge (refused, unreachable,
 * every call failed) raises JudgeUnavailableError after storing what it did judge.
 */
export async function runJudge(deps: JudgeDeps, options: JudgeOptions = {}): Promise<JudgeRunResult> {
  const { db, client } = deps;
  if (client && options.maxCostUsd !== undefined && !findPrice(client.model)) {
    throw new ConfigError(
      `model "${client.model}" has no price in the catalog, so --max-cost-usd cannot be enforced; pick a catalogued model or add its price`,
    );
  }
  const worker = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const runId = options.runId ?? (await startRun(db, { kind: 'judge' }));
  const concurrency = options.concurrency ?? 8;
  const state: RunState = {
    budget: new JudgeBudget(options.maxCostUsd),
    ledger: { calls: 0, costUsd: 0, saved: 0 },
    health: new JudgeHealth(Math.max(3, concurrency)),
    judged: 0,
    unjudgeable: 0,
    failures: 0,
    duplicates: 0,
    judgeErrors: 0,
    retriedErrors: 0,
  };
  const dbRetry = { maxMs: options.dbRetryMs, log: deps.log };
  state.writer = createVerdictWriter(db, runId, dbRetry, { maxBatch: concurrency });
  if (options.retryErrors) state.retriedErrors = await resetJudgeErrors(db);
  const pendingAtStart = deps.progress ? await countPending(db) : 0;
  const total = options.limit === undefined ? pendingAtStart : Math.min(pendingAtStart, options.limit);
  let done = 0;
  const progress = () =>
    deps.progress?.({
      done: ++done,
      total,
      calls: state.ledger.calls,
      costUsd: state.ledger.costUsd,
      maxCostUsd: options.maxCostUsd,
    });
  const limit = pLimit(concurrency);
  const chunkSize = options.chunkSize ?? (client ? 4 * concurrency : 500);
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const stopping = () =>
    state.budget.stopped || state.health.tripped || state.fatal !== undefined || deps.signal?.aborted === true;
  const heartbeat = setInterval(
    () =>
      void renewClaims(db, worker).catch((err: unknown) =>
        deps.log?.(`could not renew the claims of ${worker}: ${(err as Error).message}`),
      ),
    Math.max(200, (leaseSeconds * 1000) / 3),
  );
  heartbeat.unref();
  // One chunk is claimed and queued while the previous one is still being judged, so the
  // concurrency slots never idle at a chunk boundary; at most two chunks are in flight.
  let inFlight: Promise<void> | undefined;
  const chunks: Promise<void>[] = [];
  try {
    let afterId = 0;
    let attempted = 0;
    while (!stopping() && (options.limit === undefined || attempted < options.limit)) {
      const ids = await retryDbWrite(
        'claiming samples',
        () =>
          claimSamples(db, worker, Math.min(chunkSize, (options.limit ?? Infinity) - attempted), leaseSeconds, afterId),
        dbRetry,
      );
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1];
      attempted += ids.length;
      const samples = await retryDbWrite('loading samples', () => loadSamples(db, ids), dbRetry);
      const chunk = Promise.all(
        samples.map((s) =>
          limit(() =>
            stopping() ? ({ kind: 'release' } as const) : judgeAndStore(s, deps, options, state).finally(progress),
          ),
        ),
      ).then((outcomes) =>
        retryDbWrite('storing a chunk', () => flushChunk(deps, worker, runId, samples, outcomes, state), dbRetry),
      );
      chunk.catch(() => {}); // awaited below; keeps an early rejection from being reported as unhandled
      chunks.push(chunk);
      const previous = inFlight;
      inFlight = previous ? previous.then(() => chunk) : chunk;
      inFlight.catch(() => {}); // the chained promise too: a flush that fails while the next claim is awaited must not crash the process
      if (previous) await previous;
    }
    await inFlight;
  } finally {
    clearInterval(heartbeat);
    // every chunk, not only the chain: when one flush failed, the next chunk is still being judged
    // and will flush; releasing its claims first would let another worker judge them again
    await Promise.allSettled(chunks);
    await retryDbWrite('releasing claims', () => releaseClaims(db, worker), dbRetry).catch((err: unknown) =>
      deps.log?.(
        `could not release the claims of ${worker} (they lapse in ${leaseSeconds} s): ${(err as Error).message}`,
      ),
    );
  }
  const result = summarize(state, await countPending(db), client, runId);
  const failure = client
    ? judgeFailure(
        { provider: client.provider, model: client.model, baseUrl: client.baseUrl },
        state.health,
        state.ledger.calls,
        state.fatal,
      )
    : undefined;
  const fatal = failure ?? state.fatal;
  if (!options.runId)
    await finishRun(db, {
      id: runId,
      status: fatal ? 'failed' : 'ok',
      summary: fatal ? { ...result, error: (fatal as Error).message } : result,
    });
  if (fatal) throw fatal;
  if (result.callFailures.total > 0)
    deps.log?.(
      `${result.callFailures.total} of ${result.calls} judge calls failed (${Object.entries(result.callFailures.byCause)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')})`,
    );
  deps.log?.(
    `judged ${result.judged} samples (${result.unjudgeable} unjudgeable, ${result.judgeErrors} judge errors, ${result.pending} pending), ${result.calls} calls, $${result.costUsd}`,
  );
  return result;
}

interface RunState {
  budget: JudgeBudget;
  ledger: EvaluateContext['ledger'] & { unconfirmedUsd?: number };
  health: JudgeHealth;
  judged: number;
  unjudgeable: number;
  failures: number;
  duplicates: number;
  judgeErrors: number;
  retriedErrors: number;
  writer?: VerdictWriter;
  fatal?: unknown;
}

/** `stored`: a paid verdict or judge_error already written; the chunk flush leaves it alone. */
type Outcome = Evaluation | { kind: 'release' } | { kind: 'stored' };

/** Judges one sample and, when a call was paid for, stores the result before freeing the slot. */
async function judgeAndStore(
  s: ClaimedSample,
  deps: JudgeDeps,
  options: JudgeOptions,
  state: RunState,
): Promise<Outcome> {
  const outcome = await judgeOne(s, deps, options, state);
  const dbRetry = { maxMs: options.dbRetryMs, log: deps.log };
  try {
    if (outcome.kind === 'verdict' && outcome.row.provider !== 'offline') {
      const stored = await state.writer!.store(s.id, outcome.row);
      if (stored) state.judged++;
      else state.duplicates++;
      return { kind: 'stored' };
    }
    if (outcome.kind === 'judge_error') {
      await retryDbWrite(
        `marking sample ${s.id} judge_error`,
        () => markJudgeErrors(deps.db, [{ sampleId: s.id, error: outcome.excerpt }]),
        dbRetry,
      );
      state.judgeErrors++;
      return { kind: 'stored' };
    }
  } catch (err) {
    state.fatal ??= err;
    return { kind: 'release' };
  }
  return outcome;
}

type JudgeOutcome = Evaluation | { kind: 'release' } | { kind: 'judge_error'; excerpt: string };

async function judgeOne(
  s: ClaimedSample,
  deps: JudgeDeps,
  options: JudgeOptions,
  state: RunState,
): Promise<JudgeOutcome> {
  const ctx: EvaluateContext = {
    comparator: comparatorFor(s.taskType, options.comparators),
    f1Threshold: options.f1Threshold,
    client: deps.client,
    budget: state.budget,
    ledger: state.ledger,
    db: deps.db,
    signal: deps.signal,
    emptyAnswer: options.emptyAnswer,
  };
  // an unreadable reply (truncated JSON, HTML, "maybe", prose) is asked once more, then recorded
  for (let attempt = 0; ; attempt++) {
    try {
      const e = await evaluateAnswer(
        {
          key: `sample-${s.id}`,
          source: s.source,
          input: s.input,
          candidate: s.candidate,
          reference: s.reference,
          premium: s.premium,
        },
        ctx,
      );
      if (e.kind === 'verdict' && e.row.provider !== 'offline') state.health.replied();
      return e;
    } catch (err) {
      if (err instanceof BudgetStop) return { kind: 'release' };
      if (!(err instanceof JudgeError)) {
        state.fatal ??= err;
        return { kind: 'release' };
      }
      if (err.kind === 'aborted' && deps.signal?.aborted) return { kind: 'release' };
      state.health.failed(err);
      if (err.kind === 'malformed') {
        state.health.replied();
        if (attempt === 0 && !deps.signal?.aborted) continue;
        deps.log?.(`sample ${s.id} marked judge_error: ${err.message}`);
        return { kind: 'judge_error', excerpt: redactSecrets(err.excerpt ?? '').slice(0, 200) };
      }
      if (!err.retryable) state.fatal ??= err;
      else {
        state.failures++;
        deps.log?.(`sample ${s.id} stays pending: ${err.message}`);
      }
      return { kind: 'release' };
    }
  }
}

/**
 * Writes a chunk's free verdicts and unjudgeable marks and releases the rest. Each statement is
 * idempotent and none needs the others, so no transaction holds a connection across them (a
 * dropped connection then fails one statement, which is retried, instead of a whole transaction).
 */
async function flushChunk(
  deps: JudgeDeps,
  worker: string,
  runId: string,
  samples: ClaimedSample[],
  outcomes: Outcome[],
  state: RunState,
): Promise<void> {
  const verdicts: { sampleId: number; v: VerdictRow }[] = [];
  const unjudgeable: { sampleId: number; reason: string }[] = [];
  const release: number[] = [];
  outcomes.forEach((o, i) => {
    const id = samples[i].id;
    if (o.kind === 'verdict') verdicts.push({ sampleId: id, v: o.row });
    else if (o.kind === 'unjudgeable') unjudgeable.push({ sampleId: id, reason: o.reason });
    else if (o.kind === 'release') release.push(id);
  });
  const stored = await deps.db.transaction(
    async (tx) => {
      const n = await writeVerdicts(tx, verdicts, runId);
      await markUnjudgeable(tx, unjudgeable);
      await releaseClaims(tx, worker, release);
      return n;
    },
    { retry: true },
  ); // idempotent by sample id: a flush cut by a lost connection is written again, not lost
  state.judged += stored;
  state.duplicates += verdicts.length - stored;
  state.unjudgeable += unjudgeable.length;
}

function summarize(state: RunState, pending: number, client: JudgeClient | undefined, runId: string): JudgeRunResult {
  const round = (x: number) => Math.round(x * 1e8) / 1e8;
  return {
    judged: state.judged,
    pending,
    calls: state.ledger.calls,
    costUsd: round(state.ledger.costUsd),
    stoppedByBudget: state.budget.stopped,
    callsSaved: state.ledger.saved,
    unjudgeable: state.unjudgeable,
    failures: state.failures,
    duplicates: state.duplicates,
    provider: client?.provider ?? 'offline',
    model: client?.model ?? null,
    runId,
    callFailures: state.health.failures,
    judgeErrors: state.judgeErrors,
    retriedErrors: state.retriedErrors,
    unconfirmedCostUsd: round(state.ledger.unconfirmedUsd ?? 0),
  };
}

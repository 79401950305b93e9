import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { finishRun, startRun } from '../runs/run-record.js';
import { assertBudgetable } from './assert-budgetable.js';
import { flushChunk, summarize } from './flush-judge-chunk.js';
import { JudgeBudget } from './judge-budget.js';
import { judgeFailure, JudgeHealth } from './judge-health.js';
import {
  claimSamples,
  countPending,
  loadSamples,
  releaseClaims,
  renewClaims,
  resetJudgeErrors,
} from './judge-queries.js';
import type { JudgeDeps, JudgeOptions, JudgeRunResult } from './judge-run-types.js';
import { judgeAndStore, type RunState } from './judge-sample.js';
import { retryDbWrite } from './retry-db-write.js';
import { createVerdictWriter } from './verdict-writer.js';

/** A claim older than this returns to the queue; live workers renew theirs every third of it. */
export const DEFAULT_LEASE_SECONDS = 30;

/** One run's fixed parts: who claims, under which run id, with which retry policy and lease. */
interface RunFrame {
  worker: string;
  runId: string;
  concurrency: number;
  leaseSeconds: number;
  dbRetry: { maxMs?: number; log?: (message: string) => void };
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
  if (client) assertBudgetable(client.model, options.maxCostUsd);
  const concurrency = options.concurrency ?? 8;
  const frame: RunFrame = {
    worker: deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    runId: options.runId ?? (await startRun(db, { kind: 'judge' })),
    concurrency,
    leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    dbRetry: { maxMs: options.dbRetryMs, log: deps.log },
  };
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
  state.writer = createVerdictWriter(db, frame.runId, frame.dbRetry, { maxBatch: concurrency });
  if (options.retryErrors) state.retriedErrors = await resetJudgeErrors(db);
  await claimAndJudge(deps, options, frame, state);
  return finishJudgeRun(deps, options, frame.runId, state);
}

/**
 * Claims and judges chunk after chunk until nothing is pending, the limit is reached or the run
 * stops (budget, tripped health, a fatal error, shutdown); then releases what it still holds.
 */
async function claimAndJudge(deps: JudgeDeps, options: JudgeOptions, f: RunFrame, state: RunState): Promise<void> {
  const { db } = deps;
  const progress = await progressReporter(deps, options, state);
  const limit = pLimit(f.concurrency);
  const chunkSize = options.chunkSize ?? (deps.client ? 4 * f.concurrency : 500);
  const stopping = () =>
    state.budget.stopped || state.health.tripped || state.fatal !== undefined || deps.signal?.aborted === true;
  const heartbeat = setInterval(
    () =>
      void renewClaims(db, f.worker).catch((err: unknown) =>
        deps.log?.(`could not renew the claims of ${f.worker}: ${(err as Error).message}`),
      ),
    Math.max(200, (f.leaseSeconds * 1000) / 3),
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
      const want = Math.min(chunkSize, (options.limit ?? Infinity) - attempted);
      const ids = await retryDbWrite(
        'claiming samples',
        () => claimSamples(db, f.worker, want, f.leaseSeconds, afterId),
        f.dbRetry,
      );
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1];
      attempted += ids.length;
      const samples = await retryDbWrite('loading samples', () => loadSamples(db, ids), f.dbRetry);
      const chunk = Promise.all(
        samples.map((s) =>
          limit(() =>
            stopping() ? ({ kind: 'release' } as const) : judgeAndStore(s, deps, options, state).finally(progress),
          ),
        ),
      ).then((outcomes) =>
        retryDbWrite('storing a chunk', () => flushChunk(deps, f.worker, f.runId, samples, outcomes, state), f.dbRetry),
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
    await retryDbWrite('releasing claims', () => releaseClaims(db, f.worker), f.dbRetry).catch((err: unknown) =>
      deps.log?.(
        `could not release the claims of ${f.worker} (they lapse in ${f.leaseSeconds} s): ${(err as Error).message}`,
      ),
    );
  }
}

/** The per-sample progress callback: done of those pending at the start (capped by --limit). */
async function progressReporter(deps: JudgeDeps, options: JudgeOptions, state: RunState): Promise<() => void> {
  const pendingAtStart = deps.progress ? await countPending(deps.db) : 0;
  const total = options.limit === undefined ? pendingAtStart : Math.min(pendingAtStart, options.limit);
  let done = 0;
  return () =>
    deps.progress?.({
      done: ++done,
      total,
      calls: state.ledger.calls,
      costUsd: state.ledger.costUsd,
      maxCostUsd: options.maxCostUsd,
    });
}

/** Records the run (ok, or failed with the reason), raises a judge that could not judge, logs the summary. */
async function finishJudgeRun(
  deps: JudgeDeps,
  options: JudgeOptions,
  runId: string,
  state: RunState,
): Promise<JudgeRunResult> {
  const { db, client } = deps;
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

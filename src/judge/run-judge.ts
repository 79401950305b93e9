import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Db } from '../db/db.js';
import { finishRun, startRun } from '../db/queries/runs.js';
import { ConfigError, JudgeError } from '../errors.js';
import { findPrice } from '../routing/price-catalog.js';
import { comparatorFor } from './comparators/index.js';
import type { EmptyAnswerPolicy } from './empty-answer.js';
import { evaluateAnswer, type EvaluateContext, type Evaluation } from './evaluate-sample.js';
import { JudgeBudget } from './judge-budget.js';
import type { JudgeClient } from './judge-client.js';
import { claimSamples, countPending, loadSamples, markUnjudgeable, releaseClaims, writeVerdicts, type ClaimedSample, type VerdictRow } from './judge-queries.js';
import { BudgetStop } from './priced-call.js';

/** What runJudge needs from outside; `client` absent = the offline judge. */
export interface JudgeDeps {
  db: Db;
  client?: JudgeClient;
  now: () => Date;
  log?: (message: string) => void;
  /** Name of this worker in samples.claimed_by; unique per process by default. */
  workerId?: string;
  signal?: AbortSignal;
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
  /** Samples claimed and flushed per round trip: default 500 offline, 4 x concurrency with a model. */
  chunkSize?: number;
  /** A claim older than this returns to the queue (a killed worker), default 600 s. */
  leaseSeconds?: number;
  /** Stop after this many samples were attempted. */
  limit?: number;
  /** Run id to record verdicts under (nightly passes its own); a `judge` run is created otherwise. */
  runId?: string;
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
  /** Retryable errors (429, 5xx, timeouts, unparseable replies): those samples stay pending. */
  failures: number;
  /** Verdicts another worker had already stored (not counted again). */
  duplicates: number;
  provider: 'offline' | 'anthropic' | 'openai';
  model: string | null;
  runId: string;
}

/**
 * Judges pending samples: claims them in chunks (SKIP LOCKED, leased), judges each cheapest-first
 * under the hard budget, and stores each verdict exactly once. Retryable failures, budget stops and
 * shutdown return the sample to pending; a non-retryable provider error ends the run (rethrown).
 */
export async function runJudge(deps: JudgeDeps, options: JudgeOptions = {}): Promise<JudgeRunResult> {
  const { db, client } = deps;
  if (client && options.maxCostUsd !== undefined && !findPrice(client.model)) {
    throw new ConfigError(`model "${client.model}" has no price in the catalog, so --max-cost-usd cannot be enforced; pick a catalogued model or add its price`);
  }
  const worker = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const runId = options.runId ?? (await startRun(db, 'judge'));
  const state: RunState = { budget: new JudgeBudget(options.maxCostUsd), ledger: { calls: 0, costUsd: 0, saved: 0 }, judged: 0, unjudgeable: 0, failures: 0, duplicates: 0 };
  const limit = pLimit(options.concurrency ?? 8);
  // offline verdicts are cheap to redo, LLM verdicts are paid: flush those in small chunks
  const chunkSize = options.chunkSize ?? (client ? 4 * (options.concurrency ?? 8) : 500);
  const stopping = () => state.budget.stopped || state.fatal !== undefined || deps.signal?.aborted === true;
  // One chunk is claimed and queued while the previous one is still being judged, so the
  // concurrency slots never idle at a chunk boundary; at most two chunks are in flight.
  let inFlight: Promise<void> | undefined;
  try {
    let afterId = 0;
    let attempted = 0;
    while (!stopping() && (options.limit === undefined || attempted < options.limit)) {
      const ids = await claimSamples(db, worker, Math.min(chunkSize, (options.limit ?? Infinity) - attempted), options.leaseSeconds ?? 600, afterId);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1];
      attempted += ids.length;
      const samples = await loadSamples(db, ids);
      const chunk = Promise.all(samples.map((s) => limit(() => (stopping() ? ({ kind: 'release' } as const) : judgeOne(s, deps, options, state))))).then((outcomes) =>
        flushChunk(deps, worker, runId, samples, outcomes, state),
      );
      chunk.catch(() => {}); // awaited below; keeps an early rejection from being reported as unhandled
      const previous = inFlight;
      inFlight = previous ? previous.then(() => chunk) : chunk;
      if (previous) await previous;
    }
    await inFlight;
  } finally {
    await inFlight?.catch(() => {});
    await releaseClaims(db, worker);
  }
  const result = summarize(state, await countPending(db), client, runId);
  if (!options.runId) await finishRun(db, runId, state.fatal ? 'failed' : 'ok', result);
  if (state.fatal) throw state.fatal;
  deps.log?.(`judged ${result.judged} samples (${result.unjudgeable} unjudgeable, ${result.pending} pending), ${result.calls} calls, $${result.costUsd}`);
  return result;
}

interface RunState {
  budget: JudgeBudget;
  ledger: EvaluateContext['ledger'];
  judged: number;
  unjudgeable: number;
  failures: number;
  duplicates: number;
  fatal?: unknown;
}

type Outcome = Evaluation | { kind: 'release' };

async function judgeOne(s: ClaimedSample, deps: JudgeDeps, options: JudgeOptions, state: RunState): Promise<Outcome> {
  const ctx: EvaluateContext = { comparator: comparatorFor(s.taskType, options.comparators), f1Threshold: options.f1Threshold, client: deps.client, budget: state.budget, ledger: state.ledger, db: deps.db, signal: deps.signal, emptyAnswer: options.emptyAnswer };
  try {
    return await evaluateAnswer({ key: `sample-${s.id}`, source: s.source, input: s.input, candidate: s.candidate, reference: s.reference }, ctx);
  } catch (err) {
    if (err instanceof BudgetStop) return { kind: 'release' };
    if (err instanceof JudgeError && err.retryable) {
      state.failures++;
      deps.log?.(`sample ${s.id} stays pending: ${err.message}`);
    } else state.fatal ??= err;
    return { kind: 'release' };
  }
}

/** Writes a chunk's verdicts and unjudgeable marks and releases the rest, in one transaction. */
async function flushChunk(deps: JudgeDeps, worker: string, runId: string, samples: ClaimedSample[], outcomes: Outcome[], state: RunState): Promise<void> {
  const verdicts: { sampleId: number; v: VerdictRow }[] = [];
  const unjudgeable: { sampleId: number; reason: string }[] = [];
  const release: number[] = [];
  outcomes.forEach((o, i) => {
    const id = samples[i].id;
    if (o.kind === 'verdict') verdicts.push({ sampleId: id, v: o.row });
    else if (o.kind === 'unjudgeable') unjudgeable.push({ sampleId: id, reason: o.reason });
    else release.push(id);
  });
  const stored = await deps.db.transaction(async (tx) => {
    const n = await writeVerdicts(tx, verdicts, runId);
    await markUnjudgeable(tx, unjudgeable);
    await releaseClaims(tx, worker, release);
    return n;
  });
  state.judged += stored;
  state.duplicates += verdicts.length - stored;
  state.unjudgeable += unjudgeable.length;
}

function summarize(state: RunState, pending: number, client: JudgeClient | undefined, runId: string): JudgeRunResult {
  return {
    judged: state.judged,
    pending,
    calls: state.ledger.calls,
    costUsd: Math.round(state.ledger.costUsd * 1e8) / 1e8,
    stoppedByBudget: state.budget.stopped,
    callsSaved: state.ledger.saved,
    unjudgeable: state.unjudgeable,
    failures: state.failures,
    duplicates: state.duplicates,
    provider: client?.provider ?? 'offline',
    model: client?.model ?? null,
    runId,
  };
}

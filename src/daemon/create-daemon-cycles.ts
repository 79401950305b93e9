import type { LoadedConfig } from '../config/load-config.js';
import type { JudgeClient } from '../judge/judge-client.js';
import { countPending } from '../judge/judge-queries.js';
import { createCycleDeps, createJudgeStepDeps, type CycleEdges, type CycleOptions } from '../nightly/cycle-deps.js';
import { judgeStep } from '../nightly/cycle-steps.js';
import { runCycle } from '../nightly/run-cycle.js';
import { finishRun, startRun } from '../runs/run-record.js';
import type { CycleReport, DaemonDeps, DaemonRole, Lease } from './daemon-deps.js';

/** What the daemon's cycles are built from: the edges (the lease brings the database) and the run flags. */
export interface DaemonCycleEdges {
  role: DaemonRole;
  loaded: LoadedConfig;
  judgeClient?: JudgeClient;
  now: () => Date;
  log: (line: Record<string, unknown>) => void;
  /** --rate and the judge flags (with `judge.poll`, tests shorten the provider polling of --batch). */
  flags: Pick<CycleOptions, 'rate' | 'judge'>;
  actor: string;
  /** The cycle interval (ms; default 300,000, the CLI's): the escalator's H is calibrated for it. */
  intervalMs?: number;
}

/**
 * The leader's cycle is a nightly run that applies its decisions (kind daemon); a worker's cycle
 * only judges pending samples, claiming them with FOR UPDATE SKIP LOCKED, so workers never overlap.
 * Both build their deps with createCycleDeps, under the lease's database, once per cycle.
 */
export function createDaemonCycles(e: DaemonCycleEdges): DaemonDeps['cycle'] {
  const log = (event: string, fields: Record<string, unknown> = {}) => e.log({ event, ...fields });
  const options: CycleOptions = {
    kind: 'daemon',
    apply: true,
    rate: e.flags.rate,
    // the daemon does not wait for the provider: each cycle collects the batches that have ended
    judge: { ...e.flags.judge, wait: false },
    actor: e.actor,
    workerId: `${e.actor}:${e.role}`,
    acting: { mode: 'daemon', intervalMs: e.intervalMs ?? 300_000 },
  };
  return async (lease: Lease, signal: AbortSignal): Promise<CycleReport> => {
    const edges = { db: lease.db, loaded: e.loaded, judgeClient: e.judgeClient, now: e.now, log };
    if (e.role === 'worker') return workerCycle(edges, { ...options, signal });
    const r = await runCycle(createCycleDeps(edges), { ...options, signal });
    if (r.aborted || !r.json) return { runId: r.runId, aborted: true };
    const j = r.json.judge;
    return {
      runId: r.runId,
      judged: j.judged,
      pending: j.pending,
      ...(j.openBatches !== undefined ? { openBatches: j.openBatches } : {}),
      routingTableChanged: r.json.routingTableChanged,
      decisions: r.json.classes.map((c) => `${c.taskType}:${c.decision}${c.to ? `->${c.to}` : ''}`),
      report: r.reportFile,
    };
  };
}

/** A worker judges what is pending under a judge run of its own; an idle worker records no empty run every interval. */
async function workerCycle(edges: CycleEdges, options: CycleOptions): Promise<CycleReport> {
  const { db } = edges;
  if ((await countPending(db)) === 0) return { judged: 0, duplicates: 0, pending: 0, idle: true };
  const deps = createJudgeStepDeps(edges);
  const runId = await startRun(db, { kind: 'judge', startedAt: edges.now() });
  try {
    const j = await judgeStep(deps, runId, options);
    await finishRun(db, { id: runId, status: 'ok', finishedAt: edges.now(), summary: j });
    const { judged, duplicates, pending, calls, costUsd, stoppedByBudget } = j;
    return { judged, duplicates, pending, calls, costUsd, stoppedByBudget };
  } catch (err) {
    const summary = { error: (err as Error).message };
    await finishRun(db, { id: runId, status: 'failed', finishedAt: edges.now(), summary }).catch(() => {});
    throw err;
  }
}

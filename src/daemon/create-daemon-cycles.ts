import type { PollPolicy } from '../batch/wait-for-batch.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { JudgeClient } from '../judge/judge-client.js';
import { countPending } from '../judge/judge-queries.js';
import { createNightlyDeps } from '../nightly/create-nightly-deps.js';
import { createFeatureSteps } from '../nightly/feature-steps.js';
import type { NightlyOptions } from '../nightly/nightly-deps.js';
import { runNightly } from '../nightly/run-nightly.js';
import type { CycleReport, DaemonDeps, DaemonRole, Lease } from './daemon-deps.js';

/** What the daemon's cycles are built from. */
export interface DaemonCycleWiring {
  role: DaemonRole;
  loaded: LoadedConfig;
  judgeClient?: JudgeClient;
  now: () => Date;
  log: (line: Record<string, unknown>) => void;
  flags: Pick<NightlyOptions, 'rate' | 'judge'>;
  actor: string;
  /** Tests shorten the provider polling of --batch. */
  batchPoll?: PollPolicy;
  /** The cycle interval (ms; default 300,000, the CLI's): the escalator's H is calibrated for it. */
  intervalMs?: number;
}

/**
 * The leader's cycle is a nightly run that applies its decisions (kind daemon); a worker's cycle
 * only judges pending samples, claiming them with FOR UPDATE SKIP LOCKED, so workers never overlap.
 */
export function createDaemonCycles(w: DaemonCycleWiring): DaemonDeps['cycle'] {
  return async (lease: Lease, signal: AbortSignal): Promise<CycleReport> => {
    const text = (message: string) => w.log({ event: 'progress', message });
    const steps = createFeatureSteps({
      db: lease.db,
      loaded: w.loaded,
      judgeClient: w.judgeClient,
      now: w.now,
      log: text,
      workerId: `${w.actor}:${w.role}`,
      batchWait: false,
      batchPoll: w.batchPoll,
      acting: { mode: 'daemon', intervalMs: w.intervalMs ?? 300_000 },
    });
    if (w.role === 'worker') {
      // An idle worker records no empty judge run every interval.
      if ((await countPending(lease.db)) === 0) return { judged: 0, duplicates: 0, pending: 0, idle: true };
      const j = await steps.judge({ runId: undefined, options: w.flags.judge, signal });
      return {
        judged: j.judged,
        duplicates: j.duplicates ?? 0,
        pending: j.pending,
        calls: j.calls,
        costUsd: j.costUsd,
        stoppedByBudget: j.stoppedByBudget,
      };
    }
    const log = (event: string, fields: Record<string, unknown> = {}) => w.log({ event, ...fields });
    const deps = createNightlyDeps(
      { db: lease.db, loaded: w.loaded, now: w.now, log, llmJudge: Boolean(w.judgeClient) },
      steps,
    );
    const r = await runNightly(deps, { kind: 'daemon', apply: true, ...w.flags, actor: w.actor, signal });
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

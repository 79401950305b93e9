import { DriftwatchError } from '../errors.js';
import type { DaemonDeps, Lease } from './daemon-deps.js';

/** How a daemon run ended. */
export interface DaemonOutcome {
  cycles: number;
  /** Cycles that did work under the lease. */
  workCycles: number;
  standbyCycles: number;
  failedCycles: number;
  /** `failures`: the last `maxFailedCycles` cycles all failed, so the daemon is not doing its job. */
  stoppedBy: 'signal' | 'max-cycles' | 'failures';
  /** The latest failed cycle's error, while no cycle has worked since (absent once one works). */
  failing?: CycleFailure;
}

/** Why a cycle failed: the error's stable code, the exit code it maps to, its message. */
export interface CycleFailure {
  code: string;
  exitCode: 1 | 2 | 4;
  error: string;
  /** Cycles in a row that failed, this one included (lost database connections not counted). */
  inARow: number;
}

/**
 * Repeats the cycle every `intervalMs` until `signal` aborts (SIGTERM) or `maxCycles` is reached.
 * Without the lease it stands by and tries again each interval, so a standby takes over within
 * one interval of the leader's death. A failed cycle is logged and retried next interval, until
 * `maxFailedCycles` cycles in a row have failed for another reason than a lost database connection
 * (retried for as long as it takes): then the daemon stops (`stoppedBy: 'failures'`)
 * so its supervisor sees a failing exit instead of a process that logs errors forever. An abort
 * lets the step in progress finish, then releases the lease.
 */
export async function runDaemon(deps: DaemonDeps, { signal }: { signal: AbortSignal }): Promise<DaemonOutcome> {
  const out: DaemonOutcome = { cycles: 0, workCycles: 0, standbyCycles: 0, failedCycles: 0, stoppedBy: 'max-cycles' };
  let lease: Lease | null = null;
  deps.log({ event: 'daemon_started', role: deps.role, intervalMs: deps.intervalMs, at: deps.now().toISOString() });
  try {
    while (!signal.aborted && (deps.maxCycles === undefined || out.cycles < deps.maxCycles)) {
      const started = deps.now().getTime();
      out.cycles++;
      lease = await runOneCycle(deps, lease, signal, out);
      if ((out.failing?.inARow ?? 0) >= (deps.maxFailedCycles ?? Number.POSITIVE_INFINITY)) {
        out.stoppedBy = 'failures';
        break;
      }
      if (signal.aborted || (deps.maxCycles !== undefined && out.cycles >= deps.maxCycles)) break;
      await deps.sleep(Math.max(0, started + deps.intervalMs - deps.now().getTime()), signal);
    }
  } finally {
    if (lease) await lease.release();
    if (lease && deps.role === 'leader') deps.log({ event: 'leader_released', at: deps.now().toISOString() });
  }
  if (out.stoppedBy !== 'failures') out.stoppedBy = signal.aborted ? 'signal' : 'max-cycles';
  deps.log({ event: 'daemon_stopped', role: deps.role, ...out, at: deps.now().toISOString() });
  return out;
}

/**
 * 0 when the daemon stopped while doing its job: by signal, or at --max-cycles with its last cycle
 * working (or standing by). A daemon whose last cycle failed, or that stopped because its cycles
 * kept failing, exits with that failure's code (2 config, 4 judge unavailable, 1 otherwise).
 */
export function daemonExitCode(outcome: DaemonOutcome): number {
  if (!outcome.failing || outcome.stoppedBy === 'signal') return 0;
  return outcome.failing.exitCode;
}

async function runOneCycle(
  deps: DaemonDeps,
  held: Lease | null,
  signal: AbortSignal,
  out: DaemonOutcome,
): Promise<Lease | null> {
  let lease = held;
  const at = () => deps.now().toISOString();
  try {
    if (lease?.held && !(await lease.held())) {
      // the lock's session ended under us: another daemon may lead already, so stop and re-apply
      deps.log({ event: 'lease_lost', role: deps.role, cycle: out.cycles, at: at() });
      const lost = lease;
      lease = null;
      await lost.release().catch(() => {});
    }
    if (!lease) {
      lease = await deps.acquire();
      if (!lease) {
        out.standbyCycles++;
        deps.log({
          event: 'standby',
          role: deps.role,
          cycle: out.cycles,
          reason: 'another daemon holds the lease',
          at: at(),
        });
        return null;
      }
      deps.log({ event: deps.role === 'leader' ? 'leader_acquired' : 'worker_ready', cycle: out.cycles, at: at() });
    }
    const report = await deps.cycle(lease, signal);
    out.workCycles++;
    delete out.failing;
    deps.log({ event: 'cycle', role: deps.role, cycle: out.cycles, ...report, at: at() });
  } catch (err) {
    out.failedCycles++;
    const known = err instanceof DriftwatchError;
    const code = known ? err.code : 'unexpected';
    out.failing = {
      code,
      exitCode: known ? err.exitCode : 1,
      error: (err as Error).message,
      // a lost database connection is retried for as long as it takes: it neither counts nor resets
      inARow: (out.failing?.inARow ?? 0) + (code === 'db_connection_lost' ? 0 : 1),
    };
    const { error, inARow } = out.failing;
    deps.log({ event: 'cycle_failed', role: deps.role, cycle: out.cycles, code, error, inARow, at: at() });
  }
  return lease;
}

import { DriftwatchError } from '../errors.js';
import type { DaemonDeps, Lease } from './daemon-deps.js';

/** How a daemon run ended. */
export interface DaemonOutcome {
  cycles: number;
  /** Cycles that did work under the lease. */
  workCycles: number;
  standbyCycles: number;
  failedCycles: number;
  stoppedBy: 'signal' | 'max-cycles';
}

/**
 * Repeats the cycle every `intervalMs` until `signal` aborts (SIGTERM) or `maxCycles` is reached.
 * Without the lease it stands by and tries again each interval, so a standby takes over within
 * one interval of the leader's death. A failed cycle is logged and retried next interval; an
 * abort lets the step in progress finish, then releases the lease.
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
      if (signal.aborted || (deps.maxCycles !== undefined && out.cycles >= deps.maxCycles)) break;
      await deps.sleep(Math.max(0, started + deps.intervalMs - deps.now().getTime()), signal);
    }
  } finally {
    if (lease) await lease.release();
    if (lease && deps.role === 'leader') deps.log({ event: 'leader_released', at: deps.now().toISOString() });
  }
  out.stoppedBy = signal.aborted ? 'signal' : 'max-cycles';
  deps.log({ event: 'daemon_stopped', role: deps.role, ...out, at: deps.now().toISOString() });
  return out;
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
    deps.log({ event: 'cycle', role: deps.role, cycle: out.cycles, ...report, at: at() });
  } catch (err) {
    out.failedCycles++;
    const code = err instanceof DriftwatchError ? err.code : 'unexpected';
    deps.log({
      event: 'cycle_failed',
      role: deps.role,
      cycle: out.cycles,
      code,
      error: (err as Error).message,
      at: at(),
    });
  }
  return lease;
}

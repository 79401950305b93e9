import { describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { ConfigError, DatabaseError, JudgeUnavailableError } from '../errors.js';
import type { DaemonDeps, Lease } from './daemon-deps.js';
import { daemonExitCode, runDaemon } from './run-daemon.js';

/** Test builder: a daemon with a fake clock that only moves when it sleeps or a cycle takes time. */
function makeDaemonDeps(overrides: Partial<DaemonDeps> = {}) {
  let clock = Date.parse('2026-11-26T00:00:00Z');
  const lines: Record<string, unknown>[] = [];
  const slept: number[] = [];
  const released: string[] = [];
  const lease: Lease = { db: {} as Db, release: async () => void released.push('lease') };
  const deps: DaemonDeps = {
    role: 'leader',
    intervalMs: 300_000,
    acquire: async () => lease,
    cycle: async () => {
      clock += 20_000; // a cycle takes 20 s
      return { judged: 5 };
    },
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => new Date(clock),
    log: (l) => void lines.push(l),
    ...overrides,
  };
  return { deps, lines, slept, released, lease, events: () => lines.map((l) => l.event) };
}

describe('runDaemon', () => {
  it('leads, repeats the cycle every interval (minus the cycle time) and releases the lease at the end', async () => {
    const t = makeDaemonDeps({ maxCycles: 3 });
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(out).toEqual({ cycles: 3, workCycles: 3, standbyCycles: 0, failedCycles: 0, stoppedBy: 'max-cycles' });
    expect(t.slept).toEqual([280_000, 280_000]);
    expect(t.events()).toEqual([
      'daemon_started',
      'leader_acquired',
      'cycle',
      'cycle',
      'cycle',
      'leader_released',
      'daemon_stopped',
    ]);
    expect(t.released).toEqual(['lease']);
  });

  it('stands by while another daemon holds the lease and takes over on the next try after it frees', async () => {
    let holderAlive = true;
    const t = makeDaemonDeps({ maxCycles: 4 });
    t.deps.acquire = async () => (holderAlive ? null : t.lease);
    t.deps.sleep = async (ms) => {
      t.slept.push(ms);
      if (t.slept.length === 2) holderAlive = false; // the leader dies during the second wait
    };
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(out).toMatchObject({ standbyCycles: 2, workCycles: 2 });
    expect(t.events().slice(1, 5)).toEqual(['standby', 'standby', 'leader_acquired', 'cycle']);
    expect(t.slept).toEqual([300_000, 300_000, 280_000]); // standby retries every interval
  });

  it('stops leading when its lease is lost, and leads again only after re-acquiring it', async () => {
    const t = makeDaemonDeps({ maxCycles: 4 });
    let alive = true;
    let otherLeads = false;
    t.lease.held = async () => alive;
    t.deps.cycle = async () => {
      if (t.lines.filter((l) => l.event === 'cycle').length === 1) {
        alive = false;
        otherLeads = true;
      } // the lock's session dies; a standby takes it
      return { judged: 5 };
    };
    t.deps.acquire = async () => (otherLeads ? null : t.lease);
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(t.events().slice(1)).toEqual([
      'leader_acquired',
      'cycle',
      'cycle',
      'lease_lost',
      'standby',
      'standby',
      'daemon_stopped',
    ]);
    expect(out).toMatchObject({ workCycles: 2, standbyCycles: 2 });
    expect(t.released).toEqual(['lease']); // the lost lease is released once, not again at the end
  });

  it('finishes the step in progress on SIGTERM, then stops without sleeping and releases the lease', async () => {
    const controller = new AbortController();
    const t = makeDaemonDeps();
    let sawAbortInsideCycle = false;
    t.deps.cycle = async (_lease, signal) => {
      controller.abort();
      sawAbortInsideCycle = signal.aborted;
      return { judged: 1 };
    };
    const out = await runDaemon(t.deps, { signal: controller.signal });
    expect(sawAbortInsideCycle).toBe(true);
    expect(out).toMatchObject({ cycles: 1, workCycles: 1, stoppedBy: 'signal' });
    expect(t.slept).toEqual([]);
    expect(t.released).toEqual(['lease']);
  });

  it('runs worker cycles under a worker lease and logs them as worker lines', async () => {
    const t = makeDaemonDeps({ role: 'worker', maxCycles: 2 });
    await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(t.events()).toEqual(['daemon_started', 'worker_ready', 'cycle', 'cycle', 'daemon_stopped']);
    expect(t.lines.filter((l) => l.event === 'cycle').every((l) => l.role === 'worker' && l.judged === 5)).toBe(true);
  });
});

describe('runDaemon when cycles fail', () => {
  it('logs a failed cycle with its error code and tries again next interval', async () => {
    let calls = 0;
    const t = makeDaemonDeps({ maxCycles: 2 });
    t.deps.cycle = async () => {
      if (++calls === 1) throw new ConfigError('routing.yaml:3: bad tier');
      return { judged: 2 };
    };
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(out).toMatchObject({ failedCycles: 1, workCycles: 1 });
    expect(t.lines.find((l) => l.event === 'cycle_failed')).toMatchObject({
      code: 'bad_config',
      error: 'routing.yaml:3: bad tier',
    });
  });

  it('stops after --max-failed-cycles failures in a row, carrying the last error; a working cycle resets the count', async () => {
    let calls = 0;
    const t = makeDaemonDeps({ maxCycles: 20, maxFailedCycles: 3 });
    t.deps.cycle = async () => {
      calls++;
      if (calls === 3) return { judged: 1 }; // fails, fails, works, then fails for good
      throw calls < 3 ? new ConfigError('routing.yaml:3: bad tier') : new TypeError('x is not a function');
    };
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(out).toMatchObject({ cycles: 6, workCycles: 1, failedCycles: 5, stoppedBy: 'failures' });
    expect(out.failing).toEqual({ code: 'unexpected', exitCode: 1, error: 'x is not a function', inARow: 3 });
    expect(t.lines.filter((l) => l.event === 'cycle_failed').map((l) => l.inARow)).toEqual([1, 2, 1, 2, 3]);
    expect(t.slept).toHaveLength(5); // no sleep after the stopping failure
    expect(t.events().at(-1)).toBe('daemon_stopped');
    expect(daemonExitCode(out)).toBe(1);
  });

  it('standby cycles neither count as failures nor reset them', async () => {
    let calls = 0;
    let acquires = 0;
    const t = makeDaemonDeps({ maxCycles: 10, maxFailedCycles: 2 });
    t.lease.held = async () => calls === 0; // the lease is lost after the first failure
    t.deps.acquire = async () => (++acquires === 2 ? null : t.lease); // so the second cycle stands by
    t.deps.cycle = async () => {
      throw new JudgeUnavailableError(`judge down (${++calls})`);
    };
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(out).toMatchObject({ cycles: 3, standbyCycles: 1, failedCycles: 2, stoppedBy: 'failures' });
    expect(out.failing).toMatchObject({ code: 'judge_unavailable', exitCode: 4, inARow: 2 });
    expect(daemonExitCode(out)).toBe(4);
  });

  it('retries lost database connections for as long as it takes; one at --max-cycles still exits non-zero', async () => {
    let calls = 0;
    const t = makeDaemonDeps({ maxCycles: 6, maxFailedCycles: 2 });
    t.deps.cycle = async () => {
      throw ++calls === 1
        ? new ConfigError('bad')
        : new DatabaseError('the connection to PostgreSQL was lost', { code: 'db_connection_lost' });
    };
    const out = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(out).toMatchObject({ cycles: 6, failedCycles: 6, stoppedBy: 'max-cycles' });
    expect(out.failing).toMatchObject({ code: 'db_connection_lost', exitCode: 1, inARow: 1 });
    expect(daemonExitCode(out)).toBe(1);
  });

  it('exits 0 after a last working cycle or a signal, and non-zero when --max-cycles ends on a failure', async () => {
    const worked = await runDaemon(makeDaemonDeps({ maxCycles: 2 }).deps, { signal: new AbortController().signal });
    expect(daemonExitCode(worked)).toBe(0);
    const t = makeDaemonDeps({ maxCycles: 2 });
    t.deps.cycle = async () => {
      throw new ConfigError('bad');
    };
    const failed = await runDaemon(t.deps, { signal: new AbortController().signal });
    expect(failed).toMatchObject({ stoppedBy: 'max-cycles', failing: { code: 'bad_config', inARow: 2 } });
    expect(daemonExitCode(failed)).toBe(2);
    expect(daemonExitCode({ ...failed, stoppedBy: 'signal' })).toBe(0);
  });
});

import type { Db } from '../db/db.js';

/** The daemon's role: the leader samples, decides and writes the routing table; workers only judge. */
export type DaemonRole = 'leader' | 'worker';

/** A held right to work on the database: the leader lock (or folder lock) and the db to use under it. */
export interface Lease {
  db: Db;
  release(): Promise<void>;
  /** Whether the lease still holds (PostgreSQL: the lock's session is alive); absent = always. */
  held?(): Promise<boolean>;
}

/** What one daemon cycle reports (logged as one JSON line). */
export type CycleReport = Record<string, unknown>;

/**
 * The daemon's injected edges. `acquire` returns null while another process holds the lease
 * (PostgreSQL: session advisory lock 'driftwatch:leader'; PGlite: the folder lock).
 */
export interface DaemonDeps {
  role: DaemonRole;
  intervalMs: number;
  /** Stop after this many cycles (standby cycles included); undefined = until aborted. */
  maxCycles?: number;
  /**
   * Stop after this many failed cycles in a row (standby cycles and lost database connections
   * neither count nor reset); undefined = never.
   */
  maxFailedCycles?: number;
  acquire(): Promise<Lease | null>;
  /** One cycle under a held lease; checks `signal` between its steps. */
  cycle(lease: Lease, signal: AbortSignal): Promise<CycleReport>;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): Date;
  /** One structured log line (the CLI prints it as JSON on stderr). */
  log(line: Record<string, unknown>): void;
}

/** A sleep that resolves early on abort, for production use. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

import { DriftwatchError } from '../errors.js';
import { acquireLockFile } from '../fs/lock-file.js';

/** Options for `acquireFileLock`; sleep is injectable for tests. */
export interface FileLockOptions {
  timeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Takes the routing table's lock file (the file kit's acquireLockFile: O_EXCL, pid and host, a dead
 * holder's lock taken over). Waits up to `timeoutMs` (default 15 s) for a live holder, then throws
 * `routing_locked`. Returns the release function.
 */
export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<() => void> {
  return acquireLockFile(lockPath, {
    timeoutMs: opts.timeoutMs ?? 15_000,
    pollMs: opts.pollMs,
    sleep: opts.sleep,
    heldError: (owner) =>
      new DriftwatchError(
        'routing_locked',
        `${lockPath} is held by ${owner ? `pid ${owner.pid} on ${owner.host} since ${owner.at}` : 'another process'}; wait for it to finish, or delete the lock file if no driftwatch is running`,
      ),
    createError: (e) =>
      new DriftwatchError('routing_locked', `cannot create lock file ${lockPath}: ${e.message}`, { cause: e }),
  });
}

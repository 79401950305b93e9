import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive } from '../db/process-alive.js';
import { DriftwatchError } from '../errors.js';

interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

/** Options for `acquireFileLock`; sleep is injectable for tests. */
export interface FileLockOptions {
  timeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Takes an exclusive lock file (created with O_EXCL) holding our pid and host. A lock left by a
 * dead process on this host (or an unreadable one older than 30 s) is taken over. Waits up to
 * `timeoutMs` for a live holder, then throws. Returns the release function.
 */
export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<() => void> {
  const { timeoutMs = 15_000, pollMs = 50 } = opts;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const me: LockOwner = { pid: process.pid, host: hostname(), at: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryCreate(lockPath, me)) return () => release(lockPath, me);
    const owner = readOwner(lockPath);
    if (isStale(lockPath, owner)) {
      try {
        unlinkSync(lockPath);
      } catch {
        // another process took it over first; loop and compete again
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.at}` : 'another process';
      throw new DriftwatchError(
        'routing_locked',
        `${lockPath} is held by ${who}; wait for it to finish, or delete the lock file if no driftwatch is running`,
      );
    }
    await sleep(pollMs);
  }
}

function tryCreate(lockPath: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DriftwatchError('routing_locked', `cannot create lock file ${lockPath}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(lockPath, 'utf8')) as LockOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

function isStale(lockPath: string, owner: LockOwner | null): boolean {
  if (!owner) {
    try {
      return Date.now() - statSync(lockPath).mtimeMs > 30_000;
    } catch {
      return false; // vanished: the next create attempt decides
    }
  }
  return owner.host === hostname() && !isProcessAlive(owner.pid);
}

function release(lockPath: string, me: LockOwner): void {
  const owner = readOwner(lockPath);
  if (owner && owner.pid === me.pid && owner.host === me.host && owner.at === me.at) unlinkSync(lockPath);
}

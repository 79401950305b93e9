import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive } from './process-alive.js';

/** Who holds a lock file: written into it as JSON when taken. */
export interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

/** How a lock is taken: how long to wait for a live holder, and the errors its caller speaks in. */
export interface LockFileOptions {
  /** How long to wait for a live holder (default 0: one look, then heldError). */
  timeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The error while a live holder keeps the lock; `owner` is null for an unreadable lock file. */
  heldError: (owner: LockOwner | null) => Error;
  /** The error when the lock file cannot be created (no folder, no permission); default the fs error. */
  createError?: (cause: Error) => Error;
  /** Also remove the lock when the process exits (a lock held for the process's life). */
  releaseOnExit?: boolean;
}

/** An unreadable lock file (a holder between create and write, or a crash there) is stale after this. */
const UNREADABLE_STALE_MS = 30_000;

/**
 * The one lock-file helper: creates `lockPath` with O_EXCL holding our pid, host and start time.
 * A lock whose holder died on this host (or an unreadable one older than 30 s) is taken over. Waits
 * up to `timeoutMs` for a live holder, then throws `heldError`. Returns the release function, which
 * removes the file only while it is still ours.
 */
export async function acquireLockFile(lockPath: string, opts: LockFileOptions): Promise<() => void> {
  const { timeoutMs = 0, pollMs = 50 } = opts;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempt = tryLockFile(lockPath, opts);
    if ('release' in attempt) return attempt.release;
    if (Date.now() >= deadline) throw opts.heldError(attempt.owner);
    await sleep(pollMs);
  }
}

/** acquireLockFile without waiting, for synchronous callers: one look, then `heldError`. */
export function lockFileSync(lockPath: string, opts: LockFileOptions): () => void {
  const attempt = tryLockFile(lockPath, opts);
  if ('release' in attempt) return attempt.release;
  throw opts.heldError(attempt.owner);
}

/** One attempt (a stale lock is removed and tried again): the release function, or who holds it. */
function tryLockFile(lockPath: string, opts: LockFileOptions): { release: () => void } | { owner: LockOwner | null } {
  for (let attempt = 0; ; attempt++) {
    const me: LockOwner = { pid: process.pid, host: hostname(), at: new Date().toISOString() };
    if (tryCreate(lockPath, me, opts)) return { release: releaser(lockPath, me, opts.releaseOnExit === true) };
    const owner = readOwner(lockPath);
    if (attempt >= 2 || !isStale(lockPath, owner)) return { owner };
    try {
      unlinkSync(lockPath);
    } catch {
      // another process took it over first; compete again
    }
  }
}

function tryCreate(lockPath: string, me: LockOwner, opts: LockFileOptions): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw opts.createError ? opts.createError(e as Error) : e;
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The holder written in the file (JSON; a bare pid, as older versions wrote, counts as this host). */
function readOwner(lockPath: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
  if (/^\d+\s*$/.test(text)) return { pid: Number.parseInt(text, 10), host: hostname(), at: 'unknown' };
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

function isStale(lockPath: string, owner: LockOwner | null): boolean {
  if (!owner) {
    try {
      return Date.now() - statSync(lockPath).mtimeMs > UNREADABLE_STALE_MS;
    } catch {
      return true; // vanished: the next create attempt decides
    }
  }
  return owner.host === hostname() && !isProcessAlive(owner.pid);
}

function releaser(lockPath: string, me: LockOwner, onExit: boolean): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const owner = readOwner(lockPath);
    if (owner && owner.pid === me.pid && owner.host === me.host && owner.at === me.at) {
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone: nothing to release
      }
    }
  };
  if (onExit) process.once('exit', release);
  return release;
}

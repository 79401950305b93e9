import type { Db } from '../db/db.js';
import { DatabaseError } from '../errors.js';
import type { Lease } from './daemon-deps.js';

/** The advisory-lock key of the one leader per database. */
export const LEADER_LOCK_KEY = 'driftwatch:leader';

/**
 * Leader lease on PostgreSQL: the session advisory lock 'driftwatch:leader' on a dedicated
 * connection. If the leader dies, its session ends and the lock frees for a standby. If only the
 * lock's session dies (server restart, terminated backend), `held()` turns false and the daemon
 * stops leading before its next cycle.
 */
export function advisoryLeaderLease(db: Db): () => Promise<Lease | null> {
  return async () => {
    const release = await db.tryLock(LEADER_LOCK_KEY);
    return release ? { db, release, held: async () => (db.lockHeld ? db.lockHeld(LEADER_LOCK_KEY) : true) } : null;
  };
}

/** Worker lease on PostgreSQL: always granted; FOR UPDATE SKIP LOCKED keeps workers' samples disjoint. */
export function sharedLease(db: Db): () => Promise<Lease | null> {
  return async () => ({ db, release: async () => {} });
}

/**
 * Lease on an embedded (PGlite) folder: opening the database takes its folder lock, so only one
 * process works on it; while another holds it, this returns null and the caller tries again later.
 */
export function folderLease(open: () => Promise<Db>): () => Promise<Lease | null> {
  return async () => {
    try {
      const db = await open();
      return { db, release: () => db.close() };
    } catch (err) {
      if (err instanceof DatabaseError && err.code === 'db_locked') return null;
      throw err;
    }
  };
}

import { hostname } from 'node:os';
import { DatabaseError } from '../errors.js';
import { lockFileSync } from '../fs/lock-file.js';

/**
 * Takes an exclusive lock file for an embedded database folder (the file kit's lock, released at
 * exit too). PGlite itself has no lock, and two processes on one folder silently lose writes, so a
 * second opener gets a clear error. A lock left by a dead process is taken over.
 */
export function acquireFolderLock(lockPath: string, dir: string): () => void {
  return lockFileSync(lockPath, {
    releaseOnExit: true,
    heldError: (owner) => {
      if (owner && owner.pid === process.pid && owner.host === hostname())
        return new DatabaseError(`the embedded database ${dir} is already open in this process`, { code: 'db_locked' });
      const who = owner
        ? `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}`
        : 'another process';
      return new DatabaseError(
        `the embedded database ${dir} is in use by ${who}; PGlite allows one process per folder. ` +
          'Stop that process, or point both at a PostgreSQL server with DATABASE_URL.',
        { code: 'db_locked', exitCode: 2 },
      );
    },
  });
}

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DatabaseError } from '../errors.js';

/**
 * Takes an exclusive lock file for an embedded database folder. PGlite itself has no
 * lock, and two processes on one folder silently lose writes, so a second opener gets
 * a clear error. A lock left by a dead process is taken over.
 */
export function acquireFolderLock(lockPath: string, dir: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone: nothing to release
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSafe(lockPath), 10);
      if (Number.isFinite(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseError(
          `the embedded database ${dir} is in use by process ${holder}; PGlite allows one process per folder. ` +
            'Stop that process, or point both at a PostgreSQL server with DATABASE_URL.',
          { code: 'db_locked', exitCode: 2 },
        );
      }
      if (holder === process.pid) {
        throw new DatabaseError(`the embedded database ${dir} is already open in this process`, { code: 'db_locked' });
      }
      unlinkSync(lockPath); // stale: its process is gone
    }
  }
  throw new DatabaseError(`could not lock the embedded database ${dir}`, { code: 'db_locked' });
}

function readFileSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

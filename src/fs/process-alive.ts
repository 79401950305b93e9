import { hostname } from 'node:os';

/** This process as recorded in runs and lock files. */
export const THIS_PROCESS = { pid: process.pid, host: hostname() };

/** True when a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

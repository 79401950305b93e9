import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { isProcessAlive } from './process-alive.js';

/**
 * The one atomic file writer (routing tables, driftwatch.yaml edits, reports, charts, review files):
 * writes a temp file `.<name>.<pid>.<hex>.tmp` in the same folder (keeping the target's mode), fsyncs
 * it, renames it over the target and fsyncs the folder. Readers see the old or the new content, never
 * a mix; a failed write removes its temp file and throws the fs error. `mkdir` creates the folder first.
 */
export function writeFileAtomic(file: string, text: string, options: { mkdir?: boolean } = {}): void {
  const dir = path.dirname(file);
  if (options.mkdir) mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file: default mode
  }
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot fsync a directory; the rename is still atomic
  }
}

/**
 * Removes the temp files `writeFileAtomic` left beside `file` when its process died between the
 * write and the rename (`.<name>.<pid>.<hex>.tmp` whose pid is gone). Returns the removed paths.
 */
export function removeStaleTempFiles(file: string): string[] {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no folder, no temp files
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!m || isProcessAlive(Number(m[1]))) continue;
    try {
      unlinkSync(path.join(dir, name));
      removed.push(path.join(dir, name));
    } catch {
      // removed by another process first
    }
  }
  return removed;
}

/** sha256 of a file's content (hex): how an apply tells whether the file moved under it. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

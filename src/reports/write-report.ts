import path from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';

/** Where a report goes: `reports/<YYYY-MM-DD>-<kind>.md` under `dir`, unless `out` names a file. */
export function reportPath(options: { dir: string; date: string; kind: string; out?: string }): string {
  if (options.out) return options.out;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date))
    throw new InputError(`report date must be YYYY-MM-DD, got "${options.date}"`);
  if (!/^[a-z0-9-]+$/.test(options.kind))
    throw new InputError(`report kind must be lowercase letters, digits or dashes, got "${options.kind}"`);
  return path.join(options.dir, `${options.date}-${options.kind}.md`);
}

/**
 * Writes `markdown` to `file` atomically (writeFileAtomic: temp file, fsync, rename), so a reader
 * (or a crash) never sees half a report. Creates the folder. Returns the path written.
 */
export function writeReport(file: string, markdown: string): string {
  try {
    writeFileAtomic(file, markdown, { mkdir: true });
  } catch (cause) {
    throw new InputError(`cannot write the report ${file}: ${(cause as Error).message}`, {
      cause,
      code: 'report_write',
    });
  }
  return file;
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseError } from '../errors.js';

/** Where the embedded database lives unless DATABASE_URL / --db says otherwise. */
export const DEFAULT_EMBEDDED_DIR = path.join('.driftwatch', 'db');

/** What a DATABASE_URL / --db value selects. */
export type DbTarget = { kind: 'pg'; url: string } | { kind: 'memory' } | { kind: 'folder'; dir: string };

/**
 * Reads a DATABASE_URL / --db value, refusing typos before anything is created:
 * - unset or empty: the embedded database in `.driftwatch/db` under `cwd` (created with its parents);
 * - `postgres://...` or `postgresql://...`: a PostgreSQL server;
 * - `memory:`: a throwaway embedded database;
 * - a folder path (optionally `file:PATH`): an existing embedded database folder, an empty folder,
 *   or a new folder whose parent exists.
 * Anything else is exit 2: an unknown scheme (`postgress://`, `localhost:5432`), a path under a
 * folder that does not exist, a file, or a non-empty folder that is not a database.
 */
export function resolveDbTarget(value: string | undefined, cwd: string, from = '--db / DATABASE_URL'): DbTarget {
  if (value === undefined || value.trim() === '')
    return { kind: 'folder', dir: path.resolve(cwd, DEFAULT_EMBEDDED_DIR) };
  const bad = (why: string) =>
    new DatabaseError(
      `${from} ${JSON.stringify(redact(value))}: ${why}. Expected postgres://... or postgresql://... (a PostgreSQL server), memory: (throwaway) or a folder path for the embedded database; unset uses ${DEFAULT_EMBEDDED_DIR}`,
      { code: 'bad_database_url', exitCode: 2 },
    );
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw bad('not a valid URL');
    }
    return { kind: 'pg', url: value };
  }
  if (value === 'memory:') return { kind: 'memory' };
  if (/^(memory|postgres|postgresql)$/i.test(value))
    throw bad(
      `looks like a scheme without its ":"${value.toLowerCase() === 'memory' ? ' (memory:)' : ' (postgres://...)'}`,
    );
  const file = /^file:(\/\/)?/i.exec(value);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value);
  if (!file && scheme && !/^[A-Za-z]:[\\/]/.test(value)) throw bad(`unknown scheme "${scheme[1]}:"`);
  const dir = path.resolve(cwd, file ? value.slice(file[0].length) : value);
  if (!existsSync(dir)) {
    const parent = path.dirname(dir);
    if (!existsSync(parent) || !statSync(parent).isDirectory())
      throw bad(`folder ${parent} does not exist (driftwatch creates the database folder, not its parents)`);
    return { kind: 'folder', dir };
  }
  if (!statSync(dir).isDirectory()) throw bad(`${dir} is a file, not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes('PG_VERSION'))
    throw bad(`${dir} is a folder with other files in it, not an embedded database`);
  return { kind: 'folder', dir };
}

/** The value with any password masked, for messages. */
function redact(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:]*:)[^/@]*@/, '$1***@');
}

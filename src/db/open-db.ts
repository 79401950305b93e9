import path from 'node:path';
import type { Db } from './db.js';
import { openPgDb, type PgDbOptions } from './pg-db.js';
import { openPgliteDb } from './pglite-db.js';

/** Where the embedded database lives unless DATABASE_URL / --db says otherwise. */
export const DEFAULT_EMBEDDED_DIR = path.join('.driftwatch', 'db');

/**
 * Opens the database the user selected: a PostgreSQL URL, a `file:` / folder path for
 * PGlite, `memory:` for a throwaway PGlite, or the default embedded folder under `cwd`.
 * `log` receives lost connections and their retries (PostgreSQL).
 */
export async function openDb(url: string | undefined, cwd: string = process.cwd(), options: Pick<PgDbOptions, 'log'> = {}): Promise<Db> {
  if (url && /^postgres(ql)?:\/\//.test(url)) return openPgDb(url, { vectorTypes: true, log: options.log });
  if (url === 'memory:') return openPgliteDb();
  const dir = url ? url.replace(/^file:(\/\/)?/, '') : DEFAULT_EMBEDDED_DIR;
  return openPgliteDb(path.resolve(cwd, dir));
}

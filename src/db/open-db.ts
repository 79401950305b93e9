import type { Db } from './db.js';
import { openPgDb, type PgDbOptions } from './pg-db.js';
import { openPgliteDb } from './pglite-db.js';
import { resolveDbTarget } from './resolve-db-target.js';

export { DEFAULT_EMBEDDED_DIR } from './resolve-db-target.js';

/**
 * Opens the database the user selected: a PostgreSQL URL, a `file:` / folder path for
 * PGlite, `memory:` for a throwaway PGlite, or the default embedded folder under `cwd`.
 * A value that is none of these (a typo such as `postgress://`) is exit 2 and creates nothing.
 * `from` names where the value came from in that message; `log` receives lost connections and
 * their retries (PostgreSQL).
 */
export async function openDb(url: string | undefined, cwd: string = process.cwd(), options: Pick<PgDbOptions, 'log'> & { from?: string } = {}): Promise<Db> {
  const target = resolveDbTarget(url, cwd, options.from);
  if (target.kind === 'pg') return openPgDb(target.url, { vectorTypes: true, log: options.log });
  if (target.kind === 'memory') return openPgliteDb();
  return openPgliteDb(target.dir);
}

import type { Db } from './db.js';
import type { PgDbOptions } from './pg-db.js';
import { resolveDbTarget } from './resolve-db-target.js';

export { DEFAULT_EMBEDDED_DIR } from './resolve-db-target.js';

/**
 * Opens the database the user selected: a PostgreSQL URL, a `file:` / folder path for
 * PGlite, `memory:` for a throwaway PGlite, or the default embedded folder under `cwd`.
 * A value that is none of these (a typo such as `postgress://`) is exit 2 and creates nothing.
 * `from` names where the value came from in that message; `log` receives lost connections and
 * their retries (PostgreSQL).
 */
export async function openDb(
  url: string | undefined,
  cwd: string = process.cwd(),
  options: Pick<PgDbOptions, 'log'> & { from?: string } = {},
): Promise<Db> {
  const target = resolveDbTarget(url, cwd, options.from);
  // Each engine's driver loads only when it is the one opened (pg or the PGlite WASM build).
  if (target.kind === 'pg')
    return (await import('./pg-db.js')).openPgDb(target.url, { vectorTypes: true, log: options.log });
  const { openPgliteDb } = await import('./pglite-db.js');
  if (target.kind === 'memory') return openPgliteDb();
  return openPgliteDb(target.dir);
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseError } from '../errors.js';
import type { Db } from './db.js';

/** The migrations folder shipped with the package. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** One numbered SQL file. A first line `-- requires: vector` marks it as needing pgvector. */
export interface Migration {
  name: string;
  sql: string;
  requires: string[];
}

export interface MigrateResult {
  applied: string[];
  skipped: { name: string; reason: string }[];
}

/** Reads `NNN_name.sql` files in numeric order. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name), 'utf8');
      const requires = [...sql.matchAll(/^--\s*requires:\s*(\S+)/gm)].map((m) => m[1]);
      return { name, sql, requires };
    });
}

/**
 * Applies pending migrations in order, each in its own transaction, recorded in
 * `driftwatch_migrations`. Applying twice is a no-op. A migration that needs an
 * extension the server lacks is skipped (not recorded), so it applies once the
 * extension is installed. Concurrent migrators are serialized by a transaction lock.
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations()): Promise<MigrateResult> {
  await db
    .exec(`create table if not exists driftwatch_migrations (
    name text primary key, applied_at timestamptz not null default now())`)
    .catch(async (err) => {
      // Two servers-side migrators racing on create table: the loser sees a unique violation.
      if (!String(err.message).includes('duplicate key')) throw err;
    });
  const vector = await db.vectorAvailable();
  const result: MigrateResult = { applied: [], skipped: [] };
  for (const m of migrations) {
    const missing = m.requires.filter((r) => r === 'vector' && !vector);
    if (missing.length > 0) {
      result.skipped.push({
        name: m.name,
        reason: `the ${missing.join(', ')} extension is not installed on ${db.location}; the semantic cache is unavailable there (every other feature works)`,
      });
      continue;
    }
    const applied = await db.transaction(
      async (tx) => {
        if (db.kind === 'pg') await tx.query(`select pg_advisory_xact_lock(hashtext('driftwatch:migrate'))`);
        const done = await tx.query('select 1 from driftwatch_migrations where name = $1', [m.name]);
        if (done.rows.length > 0) return false;
        try {
          await tx.exec(m.sql);
        } catch (cause) {
          throw new DatabaseError(`migration ${m.name} failed: ${(cause as Error).message}`, {
            cause,
            code: 'migration_failed',
          });
        }
        await tx.query('insert into driftwatch_migrations (name) values ($1)', [m.name]);
        return true;
      },
      { retry: true },
    ); // checks the ledger first, so running it again after a lost connection is safe
    if (applied) result.applied.push(m.name);
  }
  return result;
}

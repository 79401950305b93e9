import { defineCommand } from '../command.js';
import { migrateSpec } from './migrate-spec.js';

export const migrateCommand = defineCommand(migrateSpec, async (ctx) => {
  const db = await ctx.db(); // opening migrates; report what the ledger holds now
  const r = await db.query<{ name: string }>('select name from driftwatch_migrations order by name');
  const vector = await db.vectorAvailable();
  return {
    json: { applied: r.rows.map((x) => x.name), database: db.location, vector },
    text: `database ${db.location}: ${r.rows.length} migrations applied (${r.rows.map((x) => x.name).join(', ')}); pgvector ${vector ? 'available' : 'not available: semantic cache disabled'}`,
  };
});

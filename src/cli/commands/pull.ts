import { openPgDb, redactUrl } from '../../db/pg-db.js';
import { InputError } from '../../errors.js';
import { pullLitellm } from '../../sources/litellm/pull-litellm.js';
import { defineCommand } from '../command.js';
import { unlistedClasses } from './ingest.js';
import { pullSpec } from './pull-spec.js';

export const pullCommand = defineCommand(pullSpec, async (ctx, flags, positionals) => {
  const [what, ...extra] = positionals;
  if (what !== 'litellm' || extra.length > 0)
    throw new InputError(`pull: expected "pull litellm", got "pull ${positionals.join(' ')}"`);
  const settings = ctx.config().config.sources.litellm;
  const url = flags.source ?? ctx.env.litellmDatabaseUrl ?? settings.url;
  if (!url)
    throw new InputError(
      "pull litellm needs the LiteLLM proxy's database: --source postgres://..., LITELLM_DATABASE_URL, or sources.litellm.url in driftwatch.yaml",
    );
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new InputError(
      `--source: expected a postgres:// URL of the LiteLLM proxy's database, got ${JSON.stringify(redactUrl(url))}`,
    );
  const db = await ctx.db();
  const source = await openPgDb(url, { max: 1 });
  const classes = new Map<string, { events: number; file: string; line: number }>();
  try {
    const r = await pullLitellm(db, source, {
      sourceKey: sourceKey(url),
      tagPrefix: settings.taskTagPrefix,
      lookbackMinutes: settings.lookbackMinutes,
      onProgress: (n) => ctx.progress(`LiteLLM_SpendLogs: ${n.toLocaleString('en-US')} rows read`),
      onRoutingClass: (taskType, row, events) => {
        const seen = classes.get(taskType);
        if (seen) seen.events += events;
        else classes.set(taskType, { events, file: '"LiteLLM_SpendLogs" row', line: row });
      },
    });
    const unlisted = unlistedClasses(ctx, classes);
    const skipped = Object.entries(r.skipped ?? {});
    const text = [
      `pulled ${r.rowsRead} rows from ${source.location}: ${r.routing} routing events stored, ${r.duplicates} already present` +
        (r.withoutContent
          ? `, ${r.withoutContent} without messages or response (store_prompts_in_spend_logs off: unjudgeable)`
          : '') +
        (skipped.length ? `; ${skipped.map(([why, n]) => `${n} skipped (${why})`).join(', ')}` : ''),
      r.to ? `watermark: ${r.to.startTime} ${r.to.requestId}` : 'watermark: none yet (no rows)',
    ].join('\n');
    return {
      json: { source: source.location, ...r, ...(unlisted?.length ? { unlistedClasses: unlisted } : {}) },
      text,
    };
  } finally {
    await source.close();
  }
});

/** The watermark's key: host, port and database, never the credentials. */
function sourceKey(url: string): string {
  const u = new URL(url);
  return `litellm:${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

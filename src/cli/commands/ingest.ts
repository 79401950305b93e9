import { existsSync } from 'node:fs';
import { ingestFile, type IngestCounts } from '../../ingest/ingest-file.js';
import { DriftwatchError, InputError } from '../../errors.js';
import { displayPath, resolvePaths } from '../../config/resolve-paths.js';
import { classEntry, loadRoutingTable, type RoutingTable } from '../../routing/routing-table.js';
import { createOtlpDecoder } from '../../sources/otlp/decode-otlp-line.js';
import { type CommandContext, defineCommand } from '../command.js';
import { ingestSpec } from './ingest-spec.js';

/** A task class seen in the ingested events that routing.yaml does not list. */
interface UnlistedClass {
  taskType: string;
  events: number;
  /** Where it first appeared. */
  file: string;
  line: number;
}

export const ingestCommand = defineCommand(ingestSpec, async (ctx, { format }, files) => {
  if (files.length === 0)
    throw new InputError(`ingest needs at least one ${format === 'otlp' ? 'OTLP/JSON trace' : 'JSONL'} file`);
  const decode =
    format === 'otlp' ? createOtlpDecoder({ taskAttribute: ctx.config().config.ingest.otlp.taskAttribute }) : undefined;
  const db = await ctx.db();
  const total: IngestCounts = { routing: 0, cache: 0, duplicates: 0 };
  const classes = new Map<string, { events: number; file: string; line: number }>();
  for (const file of files) {
    const c = await ingestFile(db, file, {
      decode,
      onProgress: (n) => {
        if (ctx.env.isTty && !ctx.quiet) process.stderr.write(`\r${file}: ${n.toLocaleString('en-US')} lines`);
      },
      onRoutingClass: (taskType, line, events) => {
        const seen = classes.get(taskType);
        if (seen) seen.events += events;
        else classes.set(taskType, { events, file, line });
      },
    });
    if (ctx.env.isTty && !ctx.quiet) process.stderr.write('\n');
    total.routing += c.routing;
    total.cache += c.cache;
    total.duplicates += c.duplicates;
    if (c.verdicts !== undefined) total.verdicts = (total.verdicts ?? 0) + c.verdicts;
    addOtlpCounts(total, c);
    ctx.log(
      `${file}: ${c.routing} routing events, ${c.cache} cache lookups${c.verdicts !== undefined ? `, ${c.verdicts} verdicts` : ''} stored, ${c.duplicates} already present${otlpNote(c)}`,
    );
  }
  const unlisted = unlistedClasses(ctx, classes);
  const stored =
    total.verdicts !== undefined
      ? `${total.routing} routing events, ${total.cache} cache lookups and ${total.verdicts} external verdicts`
      : `${total.routing} routing events and ${total.cache} cache lookups`;
  return {
    json: { ...total, ...(unlisted?.length ? { unlistedClasses: unlisted } : {}) },
    text: `stored ${stored}; ${total.duplicates} duplicates skipped${otlpNote(total)}`,
  };
});

function addOtlpCounts(total: IngestCounts, c: IngestCounts): void {
  if (c.withoutContent !== undefined) total.withoutContent = (total.withoutContent ?? 0) + c.withoutContent;
  for (const [reason, n] of Object.entries(c.skipped ?? {})) {
    total.skipped ??= {};
    total.skipped[reason] = (total.skipped[reason] ?? 0) + n;
  }
}

/** Spans that were not LLM calls, and LLM calls stored without content (unjudgeable), when there were any. */
function otlpNote(c: IngestCounts): string {
  const skipped = Object.entries(c.skipped ?? {});
  const parts = [
    ...(c.withoutContent
      ? [`${c.withoutContent} stored without prompt or answer (content capture off: unjudgeable)`]
      : []),
    ...(skipped.length
      ? [`${skipped.reduce((n, [, k]) => n + k, 0)} spans skipped (${skipped.map(([r, n]) => `${n} ${r}`).join(', ')})`]
      : []),
  ];
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/**
 * Warns about each task class the routing table does not list (driftwatch measures it but never
 * moves it: often a typo of a listed class). Without a routing table there is nothing to check;
 * an unreadable one is a warning here (the events are stored) and an error for nightly.
 */
export function unlistedClasses(
  ctx: CommandContext,
  classes: Map<string, { events: number; file: string; line: number }>,
): UnlistedClass[] | undefined {
  let file: string;
  let table: RoutingTable;
  let litellm = false;
  try {
    const paths = resolvePaths(ctx.config());
    file = paths.routingTable;
    litellm = paths.routingFormat.format === 'litellm';
    if (!existsSync(file)) return undefined;
    table = loadRoutingTable(file, paths.routingFormat).table;
  } catch (err) {
    if (!(err instanceof DriftwatchError)) throw err;
    ctx.log(`warning: task classes not checked against the routing table: ${err.message}`);
    return undefined;
  }
  const out = [...classes].filter(([name]) => !classEntry(table, name)).map(([taskType, c]) => ({ taskType, ...c }));
  for (const c of out) {
    ctx.log(
      `warning: ${c.file}:${c.line}: task class ${JSON.stringify(c.taskType)} (${c.events} event(s)) is not listed in ${displayPath(file, ctx.cwd)}: driftwatch measures it but never moves it; ${litellm ? 'add a model_list entry with this model_name on a tier model' : 'add it under taskClasses'}`,
    );
  }
  return out;
}

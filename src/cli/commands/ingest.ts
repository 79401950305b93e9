import { ingestFile, type IngestCounts } from '../../ingest/ingest-file.js';
import { InputError } from '../../errors.js';
import { defineCommand } from '../command.js';

export const ingestCommand = defineCommand({
  name: 'ingest',
  summary: 'load routing events, cache lookups and external verdicts from JSONL files (re-ingesting the same ids is a no-op)',
  usage: 'driftwatch ingest FILE... [--db URL] [--json]',
  options: {},
  allowPositionals: true,
  async run(ctx, _values, files) {
    if (files.length === 0) throw new InputError('ingest needs at least one JSONL file');
    const db = await ctx.db();
    const total: IngestCounts = { routing: 0, cache: 0, duplicates: 0 };
    for (const file of files) {
      const c = await ingestFile(db, file, {
        onProgress: (n) => {
          if (ctx.env.isTty && !ctx.quiet) process.stderr.write(`\r${file}: ${n.toLocaleString('en-US')} lines`);
        },
      });
      if (ctx.env.isTty && !ctx.quiet) process.stderr.write('\n');
      total.routing += c.routing;
      total.cache += c.cache;
      total.duplicates += c.duplicates;
      if (c.verdicts !== undefined) total.verdicts = (total.verdicts ?? 0) + c.verdicts;
      ctx.log(`${file}: ${c.routing} routing events, ${c.cache} cache lookups${c.verdicts !== undefined ? `, ${c.verdicts} verdicts` : ''} stored, ${c.duplicates} already present`);
    }
    const stored = total.verdicts !== undefined
      ? `${total.routing} routing events, ${total.cache} cache lookups and ${total.verdicts} external verdicts`
      : `${total.routing} routing events and ${total.cache} cache lookups`;
    return {
      json: total,
      text: `stored ${stored}; ${total.duplicates} duplicates skipped`,
    };
  },
});

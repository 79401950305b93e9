import { flag } from './flag.js';

/** The flags every command accepts (`--db` only those that open a database). */
export const globalFlags = {
  db: flag.string('the database: postgres://..., a PGlite folder, or memory:', {
    placeholder: 'URL',
    defaultText: 'DATABASE_URL, else the embedded database in .driftwatch/db',
  }),
  config: flag.string('the driftwatch.yaml to read', {
    placeholder: 'FILE',
    defaultText: 'driftwatch.yaml in the working directory if present, else built-in defaults',
  }),
  json: flag.boolean('one JSON object on stdout; logs stay on stderr'),
  logFormat: flag.choice('stderr log lines: human text, or one JSON object a line', ['text', 'json'], {
    defaultText: 'text (json step events with --json; the daemon writes json when stderr is no terminal)',
  }),
  quiet: flag.boolean('no progress or notices on stderr'),
  help: flag.boolean("show the command's flags", { short: 'h' }),
};

export type GlobalFlags = typeof globalFlags;

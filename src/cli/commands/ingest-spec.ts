import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const ingestSpec = defineSpec({
  name: 'ingest',
  summary:
    'load routing events, cache lookups and verdicts from JSONL files, or LLM spans from OTLP/JSON trace files (--format otlp); re-ingesting the same ids is a no-op',
  positionals: 'FILE...',
  opensDb: true,
  flags: {
    format: flag.choice('the files: driftwatch JSONL events, or OTLP/JSON trace files', ['jsonl', 'otlp'], {
      default: 'jsonl',
    }),
  },
});

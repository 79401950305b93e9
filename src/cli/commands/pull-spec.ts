import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const pullSpec = defineSpec({
  name: 'pull',
  summary:
    'pull new requests from a LiteLLM proxy\'s PostgreSQL ("LiteLLM_SpendLogs", read only, incremental) into routing events',
  positionals: 'litellm',
  opensDb: true,
  flags: {
    source: flag.string("the LiteLLM proxy's database (read only)", {
      placeholder: 'postgres://...',
      defaultText: 'LITELLM_DATABASE_URL, else sources.litellm.url in driftwatch.yaml',
    }),
  },
});

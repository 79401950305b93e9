import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const initSpec = defineSpec({
  name: 'init',
  summary: 'write driftwatch.yaml and routing.yaml templates (keeps existing files unless --force)',
  opensDb: false,
  flags: {
    judge: flag.choice('write this provider and its default model as the judge', ['anthropic', 'openai'], {
      defaultText: 'none: the judge lines stay commented (offline judge)',
    }),
    force: flag.boolean('overwrite existing files (each one replaced is listed)'),
  },
});

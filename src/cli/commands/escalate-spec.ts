import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const escalateSpec = defineSpec({
  name: 'escalate',
  summary: 'decide per task class from judged verdicts (Bernoulli CUSUM); --apply rewrites routing.yaml',
  opensDb: true,
  flags: { apply: flag.boolean('write the decided moves into routing.yaml (without it: print the diff only)') },
});

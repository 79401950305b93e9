import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { batchFlag, concurrencyFlag, judgeFlags, retryErrorsFlag } from '../shared-flags.js';

export const judgeSpec = defineSpec({
  name: 'judge',
  summary: 'judge pending samples (offline comparators, or a reference model under a hard budget)',
  opensDb: true,
  flags: {
    ...judgeFlags,
    batch: batchFlag,
    concurrency: concurrencyFlag,
    limit: flag.number('judge at most this many samples', {
      min: 1,
      integer: true,
      defaultText: 'every pending sample',
    }),
    retryErrors: retryErrorsFlag,
  },
});

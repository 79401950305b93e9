import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { batchFlag, judgeFlags, rateFlag } from '../shared-flags.js';

export const daemonSpec = defineSpec({
  name: 'daemon',
  summary: 'repeat the nightly cycle every --interval until SIGTERM; one leader per database, workers only judge',
  opensDb: true,
  logsJson: true,
  flags: {
    interval: flag.duration('time between cycles (30s, 5m, 1h; at least 100ms)', { default: 300_000, min: 100 }),
    role: flag.choice('leader: the whole cycle (one per database); worker: judges only', ['leader', 'worker'], {
      default: 'leader',
    }),
    maxCycles: flag.number('stop after this many cycles', {
      min: 1,
      integer: true,
      defaultText: 'until SIGTERM',
    }),
    maxFailedCycles: flag.number('stop, exiting non-zero, after this many failed cycles in a row', {
      min: 1,
      integer: true,
      default: 10,
    }),
    rate: rateFlag,
    ...judgeFlags,
    batch: batchFlag,
  },
});

import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { noChartsFlag } from '../shared-flags.js';

export const demoSpec = defineSpec({
  name: 'demo',
  summary:
    'the whole pipeline on recorded data: nights of traffic, judging, escalation, cache audit, compression, report',
  opensDb: false,
  flags: {
    nights: flag.number('nights of traffic to replay', { min: 1, max: 30, integer: true, default: 5 }),
    noCharts: noChartsFlag,
  },
});

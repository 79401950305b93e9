import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const costSpec = defineSpec({
  name: 'cost',
  summary: 'before/after daily cost table for a workload (routing, caching, batching)',
  opensDb: false,
  flags: {
    workload: flag.string('the workload file (see examples/workload.yaml)', {
      placeholder: 'FILE',
      defaultText: 'none (required)',
    }),
  },
});

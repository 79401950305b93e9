import { defineSpec } from '../command.js';
import { rateFlag } from '../shared-flags.js';

export const sampleSpec = defineSpec({
  name: 'sample',
  summary: 'draw the stratified, deterministic sample from events not yet sampled',
  opensDb: true,
  flags: { rate: rateFlag },
});

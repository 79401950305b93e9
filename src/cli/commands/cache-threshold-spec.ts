import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const cacheThresholdSpec = defineSpec({
  name: 'cache-threshold',
  summary:
    'false-hit curve of the semantic cache and a certified similarity threshold per task class (inclusion-weighted, valid at every look)',
  opensDb: true,
  flags: {
    maxFalseHit: flag.number('the false-hit rate to certify below', {
      placeholder: 'RATE',
      min: 1e-6,
      max: 0.5,
      defaultText: 'cache.maxFalseHit in driftwatch.yaml (0.01)',
    }),
    task: flag.string('only this task class', { placeholder: 'CLASS', defaultText: 'every class' }),
    apply: flag.boolean('write the certified per-class thresholds into cache.thresholds in driftwatch.yaml'),
  },
});

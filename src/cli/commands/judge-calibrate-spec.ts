import type { GoldSetName } from '../../judge/calibration/gold-sets.js';
import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { concurrencyFlag, judgeFlags } from '../shared-flags.js';

/** The bundled labelled sets (equal to GOLD_SETS; a test keeps them so without loading the sets here). */
export const CALIBRATION_SETS = ['gsm8k', 'gsm8k-hand', 'cache-pairs', 'llmbar'] as const satisfies GoldSetName[];

export const judgeCalibrateSpec = defineSpec({
  name: 'judge-calibrate',
  summary:
    "measure the judge's false-positive and false-negative rates (per offline comparator) on the bundled labelled sets",
  opensDb: true,
  flags: {
    dataset: flag.choice('the labelled set to measure on', [...CALIBRATION_SETS, 'all'], { default: 'all' }),
    ...judgeFlags,
    limit: flag.number('use at most this many items of each set', { min: 1, integer: true, defaultText: 'every item' }),
    concurrency: concurrencyFlag,
    check: flag.boolean('compare with the stored calibration instead of storing one; exit 3 when the judge moved'),
  },
});

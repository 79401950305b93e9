import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { batchFlag, judgeFlags, noChartsFlag, rateFlag, retryErrorsFlag } from '../shared-flags.js';

export const nightlySpec = defineSpec({
  name: 'nightly',
  summary: 'sample, judge, decide per task class (--apply rewrites routing.yaml), record the run and write the report',
  opensDb: true,
  flags: {
    apply: flag.boolean('write the decided moves into routing.yaml (without it: print the diff only)'),
    failOnEscalation: flag.boolean('exit 3 when an escalation was decided (for CI)'),
    rate: rateFlag,
    ...judgeFlags,
    batch: batchFlag,
    retryErrors: retryErrorsFlag,
    out: flag.string('write the report to this file', {
      placeholder: 'FILE',
      defaultText: 'reports/<date>-nightly.md (reportsDir in driftwatch.yaml)',
    }),
    noCharts: noChartsFlag,
  },
});

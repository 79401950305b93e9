import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { noChartsFlag } from '../shared-flags.js';

export const reportSpec = defineSpec({
  name: 'report',
  summary: 'write the markdown report of the latest run (with the 14-run trend) and its SVG charts',
  opensDb: true,
  flags: {
    out: flag.string('write the report to this file', {
      placeholder: 'FILE',
      defaultText: "reports/<date>-<kind>.md (reportsDir in driftwatch.yaml; the run's date and kind)",
    }),
    noCharts: noChartsFlag,
  },
});

import path from 'node:path';
import { runDemo } from '../../demo/run-demo.js';
import { parseNumberFlag } from '../parse-flag.js';
import { defineCommand } from '../command.js';

export const demoCommand = defineCommand({
  name: 'demo',
  summary:
    'the whole pipeline on recorded data: nights of traffic, judging, escalation, cache audit, compression, report',
  usage: 'driftwatch demo [--nights N] [--no-charts] [--json]',
  options: { nights: { type: 'string' }, 'no-charts': { type: 'boolean' } },
  noDb: true,
  async run(ctx, values) {
    const nights = parseNumberFlag('nights', values.nights, { min: 1, max: 30 });
    const started = Date.now();
    const result = await runDemo({
      cwd: ctx.cwd,
      nights,
      now: ctx.now(),
      log: ctx.progress,
      charts: !values['no-charts'],
    });
    const report = path.relative(ctx.cwd, result.report);
    const last = result.nights[result.nights.length - 1].nightly;
    return {
      json: {
        ...last,
        report,
        charts: result.charts,
        nights: result.nights.map((n) => ({
          night: n.night,
          date: n.date,
          events: n.events,
          cacheLookups: n.cacheLookups,
          runId: n.nightly.runId,
        })),
      },
      text: `demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s: report ${report}; the demo's routing table is ${path.relative(ctx.cwd, result.routingTable)}`,
    };
  },
});

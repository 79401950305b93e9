import path from 'node:path';
import { runDemo } from '../../demo/run-demo.js';
import { demoSpec } from './demo-spec.js';
import { defineCommand } from '../command.js';

export const demoCommand = defineCommand(demoSpec, async (ctx, { nights, noCharts }) => {
  const started = Date.now();
  const result = await runDemo({
    cwd: ctx.cwd,
    nights,
    now: ctx.now(),
    log: ctx.progress,
    charts: !noCharts,
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
});

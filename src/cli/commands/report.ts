import path from 'node:path';
import { DriftwatchError } from '../../errors.js';
import { loadStoredRunSummary } from '../../nightly/stored-run-summary.js';
import { loadTrend } from '../../runs/class-rates-store.js';
import { displayPath, resolvePaths } from '../../config/resolve-paths.js';
import { renderReport } from '../../reports/render-report.js';
import { reportPath, writeReport } from '../../reports/write-report.js';
import { buildReportSeries } from '../../reports/charts/build-report-series.js';
import { writeReportCharts } from '../../reports/charts/write-report-charts.js';
import { defineCommand } from '../command.js';
import { reportSpec } from './report-spec.js';

export const reportCommand = defineCommand(reportSpec, async (ctx, flags) => {
  const { reportsDir } = resolvePaths(ctx.config());
  const db = await ctx.db();
  const latest = await loadStoredRunSummary(db);
  if (!latest)
    throw new DriftwatchError(
      'no_runs',
      `no finished run with a report in ${db.location}; run driftwatch nightly first`,
      { exitCode: 2 },
    );
  const summary = { ...latest.summary.report, trend: await loadTrend(db, latest.runId) };
  const out = flags.out;
  const file = reportPath({
    dir: reportsDir,
    date: summary.date,
    kind: summary.kind,
    out: out && path.resolve(ctx.cwd, out),
  });
  const series = buildReportSeries(summary);
  const images = flags.noCharts ? [] : await writeReportCharts(file, series);
  writeReport(file, renderReport(summary, { images }));
  const shown = displayPath(file, ctx.cwd);
  return {
    json: { runId: latest.runId, report: shown, charts: images.map((i) => i.file), series },
    text: `wrote ${shown} (run ${latest.runId})`,
  };
});

import type { Queryable } from '../db/db.js';
import type { ReportSummary } from '../reports/report-summary.js';
import { loadLatestRunSummary } from '../runs/run-record.js';
import type { NightlyJson } from './build-nightly-json.js';

/** What runs.summary stores, so `driftwatch report` can re-render the latest run. */
export interface StoredRunSummary {
  report: ReportSummary;
  json: NightlyJson;
}

/**
 * The latest finished run's stored summary. Rows written before the class rate got one name
 * (`rawRate` in the report data, `errorRate` everywhere else) are read with `errorRate`.
 */
export async function loadStoredRunSummary(
  db: Queryable,
): Promise<{ runId: string; summary: StoredRunSummary } | null> {
  const latest = await loadLatestRunSummary<StoredRunSummary>(db);
  if (!latest) return null;
  const classes = latest.summary.report.classes.map((c) => {
    const { rawRate, ...rest } = c as typeof c & { rawRate?: number | null };
    return rawRate !== undefined && rest.errorRate === undefined ? { ...rest, errorRate: rawRate } : c;
  });
  return { ...latest, summary: { ...latest.summary, report: { ...latest.summary.report, classes } } };
}

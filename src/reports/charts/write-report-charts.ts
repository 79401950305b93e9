import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { renderReportCharts, type ChartImage } from './render-report-charts.js';
import type { ReportSeries } from './report-series.js';

/** The folder a report's pictures go in: `reports/<date>-<name>.md` -> `reports/<date>-<name>/`. */
export function chartDirFor(reportFile: string): string {
  return reportFile.replace(/\.md$/i, '') + (reportFile.toLowerCase().endsWith('.md') ? '' : '.charts');
}

/**
 * Renders the report's charts and writes each SVG beside the report (writeFileAtomic), so a
 * reader never sees half a picture. Returns the images with paths relative to the report, for the
 * markdown. Call before writing the report itself.
 */
export async function writeReportCharts(reportFile: string, series: ReportSeries): Promise<ChartImage[]> {
  const charts = await renderReportCharts(series);
  if (charts.length === 0) return [];
  const dir = chartDirFor(reportFile);
  mkdirSync(dir, { recursive: true });
  const rel = path.basename(dir);
  return charts.map((c) => {
    const file = path.join(dir, c.name);
    try {
      writeFileAtomic(file, c.svg);
    } catch (cause) {
      throw new InputError(`cannot write the chart ${file}: ${(cause as Error).message}`, {
        cause,
        code: 'report_write',
      });
    }
    return { section: c.section, file: `${encodeURIComponent(rel)}/${c.name}`, alt: c.alt };
  });
}

import { editConfigFile } from '../config/edit-config-file.js';

/** What --apply changed: the per-class thresholds before and after. */
export interface ThresholdChange {
  file: string;
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * Writes `cache.thresholds.<class>` into driftwatch.yaml through the config editor (comments and key
 * order kept, the whole config re-validated, the file replaced atomically). A missing file is created;
 * an invalid result is never written.
 */
export function applyCacheThresholds(file: string, thresholds: Record<string, number>): ThresholdChange {
  return editConfigFile(file, (doc) => {
    const current = doc.getIn(['cache', 'thresholds']);
    const before = (current && typeof current === 'object' ? (doc.toJS()?.cache?.thresholds ?? {}) : {}) as Record<
      string,
      number
    >;
    for (const [task, t] of Object.entries(thresholds)) doc.setIn(['cache', 'thresholds', task], t);
    return { result: { file, before, after: { ...before, ...thresholds } }, changed: true };
  });
}

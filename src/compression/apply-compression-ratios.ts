import { editConfigFile } from '../config/edit-config-file.js';

/** What changed in driftwatch.yaml: per class, the ratio before (undefined: unset) and after. */
export interface RatioChange {
  taskClass: string;
  from?: number;
  to: number;
}

/**
 * Writes `ratios` into driftwatch.yaml under compression.ratios through the config editor (every
 * comment and the key order kept, the result validated against the config schema, the file replaced
 * atomically). Creates the file when absent; leaves it untouched when nothing changes.
 */
export function applyCompressionRatios(file: string, ratios: Record<string, number>): RatioChange[] {
  return editConfigFile(file, (doc) => {
    const changes: RatioChange[] = [];
    for (const [taskClass, to] of Object.entries(ratios)) {
      const current = doc.getIn(['compression', 'ratios', taskClass]);
      const from = typeof current === 'number' ? current : undefined;
      if (from === to) continue;
      doc.setIn(['compression', 'ratios', taskClass], to);
      changes.push({ taskClass, from, to });
    }
    return { result: changes, changed: changes.length > 0 };
  });
}

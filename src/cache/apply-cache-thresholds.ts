import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, parseDocument } from 'yaml';
import { configSchema } from '../config/config-schema.js';
import { formatZodIssue } from '../config/format-zod-issue.js';
import { quoteAmbiguousKeys } from '../config/yaml11-safe.js';
import { ConfigError } from '../errors.js';

/** What --apply changed: the per-class thresholds before and after. */
export interface ThresholdChange {
  file: string;
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * Writes `cache.thresholds.<class>` into driftwatch.yaml through the yaml Document API (comments
 * and key order kept), re-validates the whole config, then replaces the file atomically (temp +
 * rename). A missing file is created; an invalid result is never written.
 */
export function applyCacheThresholds(file: string, thresholds: Record<string, number>): ThresholdChange {
  const doc = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '{}\n');
  if (doc.errors.length > 0)
    throw new ConfigError(
      `${file}:${doc.errors[0].linePos?.[0].line ?? '?'}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`,
    );
  if (doc.contents !== null && !isMap(doc.contents))
    throw new ConfigError(`${file}: expected a mapping at the top level`);
  const current = doc.getIn(['cache', 'thresholds']);
  const before = (current && typeof current === 'object' ? (doc.toJS()?.cache?.thresholds ?? {}) : {}) as Record<
    string,
    number
  >;
  for (const [task, t] of Object.entries(thresholds)) doc.setIn(['cache', 'thresholds', task], t);
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success)
    throw new ConfigError(`${file}: refusing to write an invalid config: ${formatZodIssue(parsed.error.issues[0])}`);
  const tmp = `${file}.${process.pid}.tmp`;
  quoteAmbiguousKeys(doc); // class names such as `on` or `<<` stay strings for YAML 1.1 readers
  writeFileSync(tmp, doc.toString());
  renameSync(tmp, file);
  return { file, before, after: { ...before, ...thresholds } };
}

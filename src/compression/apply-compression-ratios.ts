import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document, parseDocument } from 'yaml';
import { configSchema } from '../config/config-schema.js';
import { formatZodIssue } from '../config/format-zod-issue.js';
import { quoteAmbiguousKeys } from '../config/yaml11-safe.js';
import { ConfigError } from '../errors.js';

/** What changed in driftwatch.yaml: per class, the ratio before (undefined: unset) and after. */
export interface RatioChange {
  taskClass: string;
  from?: number;
  to: number;
}

/**
 * Writes `ratios` into driftwatch.yaml under compression.ratios, keeping every comment and key
 * order (yaml Document API). The result is validated against the config schema before it is
 * written, then written to a temp file and renamed over the original (atomic). Creates the file
 * when absent.
 */
export function applyCompressionRatios(file: string, ratios: Record<string, number>): RatioChange[] {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0)
    throw new ConfigError(`${file}: invalid YAML, not rewritten: ${parsed.errors[0].message.split('\n')[0]}`);
  const doc: Document = parsed.contents === null ? new Document({}) : parsed;
  const changes: RatioChange[] = [];
  for (const [taskClass, to] of Object.entries(ratios)) {
    const current = doc.getIn(['compression', 'ratios', taskClass]);
    const from = typeof current === 'number' ? current : undefined;
    if (from === to) continue;
    doc.setIn(['compression', 'ratios', taskClass], to);
    changes.push({ taskClass, from, to });
  }
  if (changes.length === 0) return changes;
  const valid = configSchema.safeParse(doc.toJS() ?? {});
  if (!valid.success)
    throw new ConfigError(
      `${file}: not rewritten, the result would be invalid: ${formatZodIssue(valid.error.issues[0])}`,
    );
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  quoteAmbiguousKeys(doc); // class names such as `on` or `<<` stay strings for YAML 1.1 readers
  writeFileSync(temp, doc.toString());
  renameSync(temp, file);
  return changes;
}

import { existsSync, readFileSync } from 'node:fs';
import { Document, isMap, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { configSchema } from './config-schema.js';
import { formatZodIssue } from './format-zod-issue.js';
import { quoteAmbiguousKeys } from './yaml11-safe.js';

/** What an edit of driftwatch.yaml hands back: its own result, and whether it changed the document. */
export interface ConfigEdit<T> {
  result: T;
  changed: boolean;
}

/**
 * The one editor of driftwatch.yaml (cache thresholds, compression ratios): parses `file` as a yaml
 * Document (absent or empty: an empty mapping), lets `edit` change it in place (comments and key order
 * kept), re-validates the whole config, keeps YAML 1.1 readers' keys strings, and replaces the file
 * atomically. Nothing is written when the edit changed nothing; an invalid result is never written.
 */
export function editConfigFile<T>(file: string, edit: (doc: Document) => ConfigEdit<T>): T {
  const parsed = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new ConfigError(
      `${file}:${e.linePos?.[0].line ?? '?'}: invalid YAML, not rewritten: ${e.message.split('\n')[0]}`,
    );
  }
  if (parsed.contents !== null && !isMap(parsed.contents))
    throw new ConfigError(`${file}: expected a mapping at the top level, not rewritten`);
  const doc: Document = parsed.contents === null ? new Document({}) : parsed;
  const { result, changed } = edit(doc);
  if (!changed) return result;
  const valid = configSchema.safeParse(doc.toJS() ?? {});
  if (!valid.success)
    throw new ConfigError(
      `${file}: not rewritten, the result would be invalid: ${formatZodIssue(valid.error.issues[0])}`,
    );
  quoteAmbiguousKeys(doc); // class names such as `on` or `<<` stay strings for YAML 1.1 readers
  writeFileAtomic(file, doc.toString());
  return result;
}

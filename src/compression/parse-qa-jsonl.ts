import { formatZodIssue } from '../config/format-zod-issue.js';
import { InputError } from '../errors.js';
import { qaItemSchema, type QaItem } from './qa-item.js';

/**
 * Parses a QA JSONL file's text. The first bad line throws an InputError naming file, line and
 * field (exit 2); blank lines are skipped; duplicate ids are rejected.
 */
export function parseQaJsonl(text: string, file: string): QaItem[] {
  const items: QaItem[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${where}: not valid JSON (${(err as Error).message}); each line must be one QA object`);
    }
    const parsed = qaItemSchema.safeParse(value);
    if (!parsed.success) {
      throw new InputError(
        `${where}: ${formatZodIssue(parsed.error.issues[0])}; expected {"id","context","question","answers":[...]}`,
      );
    }
    if (seen.has(parsed.data.id)) throw new InputError(`${where}: id: duplicate id "${parsed.data.id}"`);
    seen.add(parsed.data.id);
    items.push(parsed.data);
  });
  if (items.length === 0)
    throw new InputError(`${file}: no QA items; expected JSONL lines like {"id","context","question","answers":[...]}`);
  return items;
}

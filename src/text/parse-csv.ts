import { parse } from 'csv-parse/sync';

/** One parsed CSV record with the 1-based line it starts on (for error messages). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV through csv-parse: quoted fields may hold commas, doubled quotes and newlines; CRLF
 * or LF line ends. Returns every record, header included, with the line it starts on. Throws on an
 * unterminated quote, naming its line.
 */
export function parseCsv(text: string): CsvRecord[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      info: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown as typeof rows;
  } catch (err) {
    throw new SyntaxError(`line ${(err as { lines?: number }).lines ?? '?'}: ${(err as Error).message}`);
  }
  // info.lines is the line a record ends on, so a record starts the line after the previous one ends.
  const out: CsvRecord[] = [];
  let previousEnd = 0;
  for (const { record, info } of rows) {
    if (!(record.length === 1 && record[0] === '')) out.push({ line: previousEnd + 1, fields: record });
    previousEnd = info.lines;
  }
  return out;
}

/** Quotes a value for CSV when it holds a comma, quote or line break. */
export function csvField(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

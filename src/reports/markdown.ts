/** Formats a rate as a percentage with `digits` decimals; an em dash for null. */
export function pct(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/** A 95% interval as "[a%, b%]". */
export function interval(lower: number, upper: number, digits = 1): string {
  return `[${pct(lower, digits)}, ${pct(upper, digits)}]`;
}

/** US dollars with cents (or four decimals below one cent, so tiny judge bills stay visible). */
export function usd(amount: number): string {
  if (amount > 0 && amount < 0.01) return `$${amount.toFixed(4)}`;
  return `$${amount.toFixed(2)}`;
}

/** Makes text safe inside one markdown table cell: no pipes breaking columns, no newlines. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Renders a markdown table from a header row and body rows. */
export function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

/** A fenced code block whose fence is longer than any backtick run inside `body`. */
export function fenced(body: string, lang = ''): string {
  const longest = Math.max(2, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

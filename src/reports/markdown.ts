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

// Characters that open markdown inline constructs anywhere in a line: escapes, code, emphasis,
// links and images, table pipes, strikethrough. A `(` right after `]` is escaped too, so not even
// the text of a link destination (`](javascript:`) is left.
const INLINE_SPECIAL = /[\\`*[\]!|~]/g;
// Block markers that only matter at the start of a line (headings, quotes, lists, rules).
const LEADING_BLOCK = /^(\s*|\s*\d+(?=[.)]))([#>\-+=]|(?<=\d)[.)])/;

// C0 controls (but tab), DEL and C1 controls (terminal escape sequences), and the bidi embeddings,
// overrides and isolates that reorder what a reader sees.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removes control characters from untrusted text before it is rendered
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Untrusted text for one line of plain output (a terminal): control and bidi characters removed, line breaks as spaces. */
export function plainText(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(CONTROLS, '');
}

/**
 * Escapes untrusted text (task names, model names, judge reasons, event ids) for one line of
 * markdown that is also safe as HTML: `&`, `<`, `>` become entities (no raw tags, no autolinks),
 * markdown punctuation is backslash-escaped (no links, images, emphasis or code), a leading block
 * marker is escaped, line breaks become spaces and control or bidi characters are removed; the
 * rest renders exactly as given.
 */
export function escapeMarkdown(text: string): string {
  return plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(/\\\]\(/g, '\\]\\(')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(LEADING_BLOCK, (_, before: string, marker: string) => `${before}\\${marker}`);
}

/** Makes untrusted text safe inside one markdown table cell: escaped, no pipes breaking columns, no newlines. */
export function cell(text: string): string {
  return escapeMarkdown(text);
}

/**
 * An inline code span for text that is not attacker-shaped HTML (paths, ids we made): its
 * backtick fence is longer than any backtick run inside, and line breaks become spaces.
 */
export function code(text: string): string {
  const body = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
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

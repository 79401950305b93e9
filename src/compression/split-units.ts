/** A sentence-like span of a text; `sep` is the whitespace that joins it to the unit before it. */
export interface TextUnit {
  text: string;
  sep: '' | ' ' | '\n';
  /** True for a section header line (markdown heading, short ALL-CAPS line or a line ending in ':'). */
  header: boolean;
}

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'no',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'corp',
  'fig',
  'approx',
  'u.s',
  'u.k',
  'a.m',
  'p.m',
  'jan',
  'feb',
  'mar',
  'apr',
  'aug',
  'sept',
  'oct',
  'nov',
  'dec',
  'mt',
  'ft',
  'gen',
  'col',
  'lt',
  'gov',
  'sen',
  'rep',
  'rev',
]);
const BOUNDARY = /[.!?]+["'”’)\]]*(?=\s+)/g;

/**
 * Splits text into lines and lines into sentences, keeping every character of each unit so
 * compressed output is made of verbatim slices of the original. Our own splitter rather than
 * natural's SentenceTokenizer because reassembly needs the units in place and in order.
 */
export function splitUnits(text: string): TextUnit[] {
  const units: TextUnit[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const header = isHeader(trimmed);
    const sentences = header ? [trimmed] : splitSentences(trimmed);
    sentences.forEach((s, i) => {
      units.push({ text: s, sep: units.length === 0 ? '' : i === 0 ? '\n' : ' ', header });
    });
  }
  return units;
}

function splitSentences(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of line.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    if (isAbbreviation(line, m.index) || !startsSentence(line, end)) continue;
    const s = line.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = line.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** The period at `dot` ends a known abbreviation or a single-letter initial ("J. Smith"). */
function isAbbreviation(line: string, dot: number): boolean {
  if (line[dot] !== '.') return false;
  const word = /([A-Za-z.]+)$/.exec(line.slice(Math.max(0, dot - 12), dot))?.[1] ?? '';
  if (word.length === 1 && /[A-Z]/.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** A new sentence starts with an upper-case letter, a digit, a quote or a bracket. */
function startsSentence(line: string, at: number): boolean {
  const next = /\S/.exec(line.slice(at))?.[0] ?? '';
  return /[A-Z0-9"'“‘([]/.test(next);
}

function isHeader(line: string): boolean {
  if (/^#{1,6}\s/.test(line)) return true;
  if (line.length > 80) return false;
  if (/[A-Za-z].*[A-Za-z]/.test(line) && line === line.toUpperCase() && !/[.!?]$/.test(line)) return true;
  return /^[A-Z0-9][^.!?:]{0,78}:$/.test(line);
}

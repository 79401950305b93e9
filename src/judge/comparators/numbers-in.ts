/** One number read from a text: its value, where it stands, and how it was written. */
export interface NumberToken {
  value: number;
  percent: boolean;
  start: number;
  end: number;
  text: string;
  /** 7th, 2nd: counted only where nothing else is. */
  ordinal: boolean;
  /** "130,00": a digit group that is not a thousands group (a cut-off or mistyped number). */
  malformed: boolean;
}

const CURRENCY = '[$€£¥₹]';
// currency, a thousands-grouped or plain integer (or a bare decimal), decimals, a fraction, percent, a glued unit (5km, 7th)
const NUMBER = new RegExp(
  `(?<![\\w#.,/])(?:${CURRENCY}\\s?)?(?<int>\\d{1,3}(?:,\\d{3})+(?!,?\\d)|\\d+(?:,\\d{1,2}(?!\\d))?|(?=\\.\\d))(?<dec>\\.\\d+)?` +
    `(?:\\s?\\/\\s?(?<den>\\d+(?:\\.\\d+)?)(?![\\d.]))?(?<pct>\\s?(?:%|percent\\b))?(?<unit>[a-zA-Z]+)?(?!\\w)`,
  'gu',
);

/** Every number in a piece of text, with its position; identifiers (#12, A4, v2) are not numbers. */
export function numbersIn(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const g = m.groups ?? {};
    if (!/\d/.test(m[0])) continue;
    const malformed = /,\d{1,2}$/.test(g.int ?? '');
    let value = Number(`${(g.int ?? '0').replace(/,/g, malformed ? '.' : '')}${g.dec ?? ''}`);
    if (g.den !== undefined) {
      if (Number(g.den) === 0) continue;
      value /= Number(g.den);
    }
    // "-54", "= -54", "(−3)": a sign; "90 - 54" or "90 -54": subtraction
    const before = text.slice(0, m.index);
    const sign = /(?:^|[\s=(:,])[-−]$/.test(before) && !/\d\s*[-−]$/.test(before);
    const start = sign ? m.index - 1 : m.index;
    const prev = out[out.length - 1];
    // "2 1/2": a mixed number
    if (
      g.den !== undefined &&
      value < 1 &&
      prev &&
      Number.isInteger(prev.value) &&
      !prev.text.includes('/') &&
      /^ $/.test(text.slice(prev.end, m.index))
    ) {
      prev.value = prev.value < 0 ? prev.value - value : prev.value + value;
      prev.end = m.index + m[0].length;
      prev.text = text.slice(prev.start, prev.end).trim();
      continue;
    }
    out.push({
      value: sign ? -value : value,
      percent: g.pct !== undefined,
      start,
      end: m.index + m[0].length,
      text: text.slice(start, m.index + m[0].length).trim(),
      ordinal: g.unit !== undefined && /^(?:st|nd|rd|th)$/i.test(g.unit),
      malformed,
    });
  }
  return out;
}

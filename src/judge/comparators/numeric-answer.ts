import type { Comparator } from './comparator.js';
import { type NumberToken, numbersIn } from './numbers-in.js';

/** The final numeric answer a text commits to, or why none can be read without guessing. */
export type FinalAnswer =
  | { ok: true; value: number; percent: boolean; via: AnswerSource; text: string }
  | { ok: false; reason: string; missing?: true };

/** Where the answer was read: an explicit marker, or the sentence the answer concludes with. */
export type AnswerSource = '####' | 'boxed' | 'answer-phrase' | 'bold' | 'conclusion';

/** Removes calculator annotations, LaTeX wrappers and markdown escapes; reports a cut-off annotation. */
function clean(text: string): { text: string; cutOff: boolean } {
  let t = text.normalize('NFKC').replace(/\r\n?/g, '\n');
  t = t.replace(/<<[^<>]*>>/g, '');
  const cutOff = /<<[^>]*$/.test(t);
  t = t
    .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\\text\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\[()[\]]/g, ' ')
    .replace(/\\([*$%_#])/g, '$1')
    .replace(/\\(?:times|cdot)/g, '*')
    .replace(/\\,/g, '')
    .replace(/(\d)\s*\((\d+)\)\/\((\d+)\)/g, '$1 $2/$3')
    .replace(/\((\d+(?:\.\d+)?)\)\/\((\d+(?:\.\d+)?)\)/g, '$1/$2');
  return { text: t, cutOff };
}

/** The single number a marker's text holds; several that disagree are ambiguous. */
function single(segment: string, where: string): FinalAnswer {
  const nums = numbersIn(segment).filter((n) => !n.ordinal || numbersIn(segment).every((x) => x.ordinal));
  if (nums.length === 0) return { ok: false, reason: `no number after ${where}` };
  if (nums.some((n) => n.malformed))
    return { ok: false, reason: `malformed number "${nums.find((n) => n.malformed)!.text}" after ${where}` };
  const distinct = [...new Set(nums.map((n) => n.value))];
  // "#### 4, 6" or "**12 and 15**": several finals, not one
  if (distinct.length > 1 && !/[=]/.test(segment))
    return { ok: false, reason: `several numbers after ${where}: ${nums.map((n) => n.text).join(', ')}` };
  const n = /[=]/.test(segment) ? (lastAfterEquals(segment) ?? nums[nums.length - 1]) : nums[0];
  return { ok: true, value: n.value, percent: n.percent, via: 'conclusion', text: n.text };
}

function lastAfterEquals(s: string): NumberToken | undefined {
  const at = s.lastIndexOf('=') + 1;
  const n = numbersIn(s.slice(at))[0];
  return n && { ...n, start: n.start + at, end: n.end + at };
}

function balancedBraces(s: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return s.slice(open + 1, i);
  }
  return null;
}

/** Explicit answer markers, strongest first: `#### n`, \boxed{n}, "the answer is n" / "Answer: n", **n**. */
function markers(t: string): { via: AnswerSource; answer: FinalAnswer }[] {
  const out: { via: AnswerSource; answer: FinalAnswer }[] = [];
  const hash = t.lastIndexOf('####');
  if (hash >= 0) out.push({ via: '####', answer: single(t.slice(hash + 4).split('\n')[0], '"####"') });
  const boxed = t.lastIndexOf('\\boxed');
  if (boxed >= 0) {
    const inner = balancedBraces(t, t.indexOf('{', boxed));
    if (inner !== null) out.push({ via: 'boxed', answer: single(inner, '\\boxed') });
  }
  const phrase = [
    ...t.matchAll(
      /(?:\b(?:final|correct)\s+answer|\bthe\s+answer|^\s*answer)\s*(?:is|would be|will be|should be|[:=])\s*:?/gimu,
    ),
  ].pop();
  if (phrase) {
    const rest = t.slice(phrase.index + phrase[0].length);
    const sentence = rest.split(/\n|(?<=[.!?])\s+(?=[A-Z])/)[0];
    out.push({ via: 'answer-phrase', answer: firstOf(sentence, '"the answer is"') });
  }
  const lastPara = paragraphs(t).pop() ?? '';
  const bold = [...lastPara.matchAll(/\*\*([^*\n]+)\*\*/g)]
    .map((m) => m[1])
    .filter((b) => numbersIn(b).length > 0)
    .pop();
  if (bold !== undefined) out.push({ via: 'bold', answer: single(bold, 'bold text') });
  return out.map((m) => ({ ...m, answer: m.answer.ok ? { ...m.answer, via: m.via } : m.answer }));
}

/** The number a phrase leads with ("the answer is 12 apples, because ..."). */
function firstOf(s: string, where: string): FinalAnswer {
  const eq = /=/.test(s) ? lastAfterEquals(s) : undefined;
  const n = eq ?? numbersIn(s).find((x) => !x.ordinal) ?? numbersIn(s)[0];
  if (!n) return { ok: false, reason: `no number after ${where}` };
  if (n.malformed) return { ok: false, reason: `malformed number "${n.text}" after ${where}` };
  return { ok: true, value: n.value, percent: n.percent, via: 'answer-phrase', text: n.text };
}

function paragraphs(t: string): string[] {
  return t
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Sentences of a paragraph: lines, then sentence ends that are not decimal points or abbreviations. */
function sentences(p: string): string[] {
  return p
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z(#*"'$\d])/))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

// a trailing paragraph that comments on the answer instead of giving it
const POSTSCRIPT =
  /^(?:\*\*)?(?:helpful\s+)?(?:hint|note|tip|remember|explanation|disclaimer|caveat|p\.?s\.?)s?\b\s*(?:\*\*)?\s*[:\-–]/i;
// the answer says it cannot give one
const NO_ANSWER =
  /\b(?:cannot|can't|can ?not|unable to|impossible to)\s+(?:be\s+)?(?:directly\s+)?(?:determine|determined|find|found|calculate|calculated|answer|answered|know|solve|solved)\b|\b(?:not|isn't) possible to (?:determine|find|calculate|answer|know|say)\b|\bnot enough information\b|\binsufficient information\b/i;
const COPULA =
  /\b(?:is|are|was|were|be|equals|totals|comes? to|amounts? to|costs?|weighs?|earns?|owes?|lasts?(?: for)?)\s+(?:(?:approximately|about|around|roughly|exactly|only|just|now|still|worth|a total of|equal to|then|therefore|thus)\s+)*$/i;
const INTRO =
  /^(?:so|thus|therefore|hence|finally|altogether|overall|together|now|then|in total|in all|in the end|as a result|consequently|(?:in|on|after|before|since|if|when|over|for|with|at|by|during|given|adding|rounded|to|from|because|as)\b[^,]*)$/i;

/** Values the text computed: the first number after each "=". */
function computedValues(t: string): Set<number> {
  const out = new Set<number>();
  for (const m of t.matchAll(/=/g)) {
    const n = numbersIn(t.slice(m.index + 1, m.index + 40))[0];
    if (n) out.add(n.value);
  }
  return out;
}

const FUNCTION_WORD = /\b(?:to|for|in|of|by|with|from|at|per|on|into|than|if|when|after|before)\b/i;

/**
 * The number the concluding sentence commits to: after its last "=", else the first of its numbers
 * that the text computed earlier (a conclusion restates its result: "54 minutes longer to swim 3
 * miles"), else after a copula ("is approximately $9,860"), else its first number outside an
 * introductory clause ("In 4 weeks, ..."). Two numbers side by side ("86 glasses and 42 plates") are
 * two answers, not one.
 */
function fromSentence(s: string, computed: Set<number>): FinalAnswer | null {
  if (numbersIn(s).length === 0) return null;
  // "a ticket costs $10, so he can see 1 more movie": the conclusion is the clause after the last "so"
  const tail = /^(.*[,;]\s*(?:so|therefore|thus|hence|which means|meaning)\b)(.*)$/is.exec(s);
  if (tail && numbersIn(tail[2]).length > 0) s = tail[2];
  const all = numbersIn(s);
  const at = (n: NumberToken): FinalAnswer =>
    n.malformed
      ? { ok: false, reason: `the answer ends on a malformed number "${n.text}" (cut off?)` }
      : { ok: true, value: n.value, percent: n.percent, via: 'conclusion', text: n.text };
  if (s.includes('=')) {
    const eq = lastAfterEquals(s);
    // "= 160 - y red roses": an expression, not a result
    if (eq && /^\s*[-+*×/]\s*[a-z(]/i.test(s.slice(eq.end)))
      return {
        ok: false,
        reason: `the answer ends on an expression ("${eq.text}${s.slice(eq.end).trim().split(/\s+/).slice(0, 2).join(' ')}")`,
      };
    if (eq) return at(eq);
  }
  const cardinals = all.filter((n) => !n.ordinal);
  const pool = cardinals.length > 0 ? cardinals : all;
  // skip numbers inside leading "In 4 weeks," / "Since there are 12 eggs in a dozen," clauses
  let introEnd = 0;
  for (const part of s.split(',').slice(0, -1)) {
    if (!INTRO.test(part.trim())) break;
    introEnd += part.length + 1;
  }
  const main = pool.filter((n) => n.start >= introEnd);
  const lead = main[0] ?? pool[0];
  const next = pool[pool.indexOf(lead) + 1];
  if (next && next.value !== lead.value) {
    const between = s.slice(lead.end, next.start).replace(/[$€£¥₹]\s*$/, '');
    if (/^\s*(?:[a-z-]+\s+){0,2}(?:and|,|&|plus)\s+$/i.test(between) && !FUNCTION_WORD.test(between)) {
      return { ok: false, reason: `the answer gives several numbers side by side: ${lead.text} and ${next.text}` };
    }
  }
  const restated = main.find((n) => computed.has(n.value));
  const copula = pool.filter((n) => COPULA.test(s.slice(0, n.start).replace(/[$€£¥₹]\s*$/, ''))).pop();
  return at(copula ?? restated ?? lead);
}

/**
 * Reads the final numeric answer of a worked answer as people write it: an explicit marker
 * (`#### n`, `\boxed{n}`, "the answer is n", "Answer: n", bold **n** in the last paragraph), else the
 * number the concluding sentence commits to (after its last "=", after "is/was/equals", else its first
 * number outside an introductory clause), with currency, thousands separators, decimals, fractions,
 * percentages and negative numbers. Returns why not when it would have to guess: markers that
 * disagree, several numbers side by side, an answer that stops mid-calculation or says it cannot be
 * determined, no number at all.
 */
export function finalAnswer(text: string): FinalAnswer {
  const { text: t, cutOff } = clean(text);
  const found = markers(t);
  const good = found.filter((m) => m.answer.ok);
  if (good.length > 0) {
    const values = [...new Set(good.map((m) => (m.answer as { value: number }).value))];
    if (values.length > 1)
      return {
        ok: false,
        reason: `explicit answers disagree: ${good.map((m) => `${m.via} ${(m.answer as { text: string }).text}`).join(' vs ')}`,
      };
    return good[0].answer;
  }
  if (found.length > 0) return found[0].answer;
  if (cutOff) return { ok: false, reason: 'the answer stops inside a calculation (cut off)', missing: true };
  const trimmed = t.trimEnd();
  if (/[:=+*×/]$|\s[-x]$/.test(trimmed))
    return { ok: false, reason: 'the answer stops before its result (cut off)', missing: true };
  const paras = paragraphs(t);
  while (paras.length > 1 && POSTSCRIPT.test(paras[paras.length - 1])) paras.pop();
  if (paras.length > 0 && NO_ANSWER.test(paras[paras.length - 1]))
    return { ok: false, reason: 'the answer says it cannot be determined', missing: true };
  for (let p = paras.length - 1; p >= 0; p--) {
    const ss = sentences(paras[p]);
    for (let i = ss.length - 1; i >= 0; i--) {
      const before = [...paras.slice(0, p), ...ss.slice(0, i)].join('\n');
      const r = fromSentence(ss[i], computedValues(before));
      if (r) return r;
    }
  }
  return { ok: false, reason: 'no number in the answer', missing: true };
}

/** The final numeric answer of a text, or null when it cannot be read without guessing. */
export function finalNumber(text: string): number | null {
  const a = finalAnswer(text);
  return a.ok ? a.value : null;
}

function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

/**
 * Compares final numeric answers (GSM8K style) with a relative tolerance of 1e-6; a percentage
 * matches its number or its fraction ("24%" = 24 = 0.24). Unjudgeable (null) when either side's
 * final answer cannot be read, with the reason; `missing` when the candidate gives none at all (cut
 * off, no number, "cannot be determined"): the judge counts that as a missing answer (judge.emptyAnswer).
 */
export const numericAnswer: Comparator = (candidate, reference) => {
  const r = finalAnswer(reference);
  if (!r.ok) return { name: 'numeric-answer', value: null, reason: `reference: ${r.reason}` };
  const c = finalAnswer(candidate);
  if (!c.ok)
    return {
      name: 'numeric-answer',
      value: null,
      reason: `${c.reason}; reference ${r.text}`,
      ...(c.missing ? { missing: true as const } : {}),
    };
  const match =
    same(c.value, r.value) ||
    (c.percent && same(c.value / 100, r.value)) ||
    (r.percent && same(c.value, r.value / 100));
  return {
    name: 'numeric-answer',
    value: match ? 1 : 0,
    reason: match
      ? `final answer ${c.text} (${c.via}) matches`
      : `final answer ${c.text} (${c.via}) differs from reference ${r.text}`,
  };
};

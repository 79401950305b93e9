import { porterStem, wordTokens } from '../../text/natural-words.js';
import { canonicalStems, NEGATION, NUMBER_WORDS, STOPWORDS } from './cache-answer-words.js';
import { clip, type Comparator } from './comparator.js';
import { numbersIn } from './numbers-in.js';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi;
// a code: letters and digits together (AB-1234, 4B, v2), #123, or snake_case; not a number with its unit (5km, 10am, 3rd, 5-day)
const CODE = /#\w+|\b[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\b/g;
const NUMBER_WITH_UNIT = /^\d+(?:\.\d+)?(?:-?[a-z]{1,5})$/i;
const isCode = (m: string) =>
  m.startsWith('#') || m.includes('_')
    ? /\w/.test(m.slice(1))
    : /\d/.test(m) && /[a-z]/i.test(m) && !NUMBER_WITH_UNIT.test(m);

interface Reading {
  numbers: number[];
  ids: string[];
  negations: number;
  /** Normalized word sequence (stopwords kept, marked), for alignment. */
  seq: { key: string; content: boolean; word: string }[];
  content: Set<string>;
}

function expandContractions(t: string): string {
  return t
    .replace(/[’‘`]/g, "'")
    .replace(/\bcan't\b|\bcannot\b/gi, 'can not')
    .replace(/\bwon't\b/gi, 'will not')
    .replace(/\bshan't\b/gi, 'shall not')
    .replace(/\b(\w+)n't\b/gi, '$1 not')
    .replace(/\b(\w+)'(re|ve|ll|d|m)\b/gi, '$1')
    .replace(/\b(it|that|there|here|what|who|he|she|let)'s\b/gi, '$1');
}

function read(text: string): Reading {
  let t = text.normalize('NFKC');
  const ids: string[] = [];
  const take = (re: RegExp, keep: (m: string) => boolean = () => true) => {
    t = t.replace(re, (m) => {
      if (!keep(m)) return m;
      ids.push(m.toLowerCase().replace(/[.,;:!?]+$/, ''));
      return ' ';
    });
  };
  take(URL_RE);
  take(EMAIL);
  // "#12345" and "number 12345" are the same item: digits after "#" count as a number
  t = t.replace(/#(\d+)\b/g, ' $1');
  take(CODE, isCode);
  const numbers = numbersIn(t).map((n) => Math.round(n.value * 1e6) / 1e6);
  t = expandContractions(t);
  const seq: Reading['seq'] = [];
  let negations = 0;
  // sentence ends become boundary tokens, so a swapped word is told from a swapped sentence
  const marked = t.replace(/[.!?:]+(?=\s|$)|\n+/g, ' qqsentqq ').replace(/\d(?:[\d,.:]*\d)?/g, ' ');
  const canon = canonicalStems();
  for (const raw of wordTokens(marked)) {
    const w = raw.toLowerCase();
    if (w === 'qqsentqq') {
      if (seq.length > 0 && seq[seq.length - 1].key !== '|') seq.push({ key: '|', content: false, word: '|' });
      continue;
    }
    if (w in NUMBER_WORDS) {
      numbers.push(NUMBER_WORDS[w]);
      continue;
    }
    if (NEGATION.has(w)) {
      negations++;
      seq.push({ key: 'NOT', content: false, word: w });
      continue;
    }
    if (STOPWORDS.has(w) || w.length === 1) {
      seq.push({ key: w, content: false, word: w });
      continue;
    }
    const stem = porterStem(w);
    seq.push({ key: canon.get(stem) ?? stem, content: true, word: w });
  }
  if (seq.length > 0 && seq[seq.length - 1].key !== '|') seq.push({ key: '|', content: false, word: '|' });
  return {
    numbers: numbers.sort((a, b) => a - b),
    ids: [...new Set(ids)].sort(),
    negations,
    seq,
    content: new Set(seq.filter((x) => x.content).map((x) => x.key)),
  };
}

/** Differing regions of two word sequences after a longest-common-subsequence alignment. */
interface Region {
  a: number[];
  b: number[];
  /** a-side index of the aligned token before it (-1: none) and after it (a.length: none). */
  before: number;
  after: number;
}

function hunks(a: string[], b: string[]): { aligned: number; regions: Region[] } {
  const n = Math.min(a.length, 400);
  const m = Math.min(b.length, 400);
  const dp = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const regions: Region[] = [];
  let cur: Region | null = null;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      if (cur) regions.push({ ...cur, after: i });
      cur = null;
      i++;
      j++;
    } else {
      cur ??= { a: [], b: [], before: i - 1, after: n };
      if (j >= m || (i < n && dp[i + 1][j] >= dp[i][j + 1])) cur.a.push(i++);
      else cur.b.push(j++);
    }
  }
  if (cur) regions.push({ ...cur, after: n });
  // "from [tentacles] manufacturing" vs "from manufacturing [manufacturing]": one swap that the alignment split around a repeated word
  const merged: Region[] = [];
  for (const r of regions) {
    const prev = merged[merged.length - 1];
    if (prev && r.before - prev.after <= 0 && a[prev.after] !== '|' && (prev.a.length === 0) !== (r.a.length === 0)) {
      merged[merged.length - 1] = {
        a: [...prev.a, ...r.a],
        b: [...prev.b, ...r.b],
        before: prev.before,
        after: r.after,
      };
    } else merged.push(r);
  }
  return { aligned: dp[0][0], regions: merged };
}

const sameList = <T>(x: T[], y: T[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/** Content-word F1 (stems, synonyms merged) under which a cached answer says something else. */
export const CONTENT_F1_FLOOR = 0.5;

/** At most this many content words on each side make an answer "short". */
export const SHORT_ANSWER_WORDS = 15;

/**
 * Is a cached answer still right for the new query, judged against the fresh reference answer?
 * A false hit usually looks almost the same and differs where it matters, so this fails on:
 * - any differing number (digits or number words: "5 days" vs "7 days"), identifier (item 123 vs
 *   456, codes, e-mail addresses, URLs) or negation (can / cannot, not, never, no longer);
 * - in answers that are otherwise word for word the same (most of both align), a content
 *   word that takes the place of another ("... for card arrival." vs "... for card linking.");
 * - in short answers that are otherwise word for word the same, a content word added or dropped inside
 *   a sentence ("pay with card" vs "pay with virtual card"); greetings and closings are not facts;
 * - an answer that shares under half of its content words with the reference (content-word F1 < 0.5).
 * Paraphrases that keep those pass: word order, politeness, contractions, stems ("arrive" /
 * "arrival") and common synonyms are tolerated. Limits, counted in its calibration: a rare synonym
 * in a near-verbatim answer is flagged; two words trading places ("card ... transfer" vs
 * "transfer ... card") may pass; so may a long answer reworded from scratch that changes a fact in words.
 */
export const cacheAnswer: Comparator = (candidate, reference) => {
  const name = 'cache-answer';
  if (reference.trim() === '') return { name, value: null, reason: 'empty reference' };
  const c = read(candidate);
  const r = read(reference);
  const fail = (reason: string) => ({ name, value: 0, reason });
  if (!sameList(c.numbers, r.numbers))
    return fail(`numbers differ: ${c.numbers.join(', ') || 'none'} vs reference ${r.numbers.join(', ') || 'none'}`);
  if (!sameList(c.ids, r.ids))
    return fail(
      `identifiers differ: ${clip(c.ids.join(' ') || 'none')} vs reference ${clip(r.ids.join(' ') || 'none')}`,
    );
  if (c.negations > 0 !== r.negations > 0)
    return fail(`negation differs: the ${c.negations > 0 ? 'cached answer' : 'reference'} negates, the other does not`);
  // align on what carries facts: content words, negations and sentence ends (function words would anchor spurious matches)
  const cs = c.seq.filter((x) => x.content || x.key === 'NOT' || x.key === '|');
  const rs = r.seq.filter((x) => x.content || x.key === 'NOT' || x.key === '|');
  const cw = cs.map((x) => x.key);
  const rw = rs.map((x) => x.key);
  const { regions } = hunks(cw, rw);
  // how much of both answers aligns word for word, function words included (a template around a swapped slot
  // aligns; a contained short answer does not make a long one verbatim)
  const ck = c.seq.filter((x) => x.key !== '|').map((x) => x.key);
  const rk = r.seq.filter((x) => x.key !== '|').map((x) => x.key);
  const inOrder = hunks(ck, rk).aligned;
  const nearVerbatim = inOrder / Math.max(1, ck.length, rk.length) >= 0.5;
  // in short answers a content word added or dropped inside a sentence counts too: "pay with card" vs "pay with
  // virtual card", "exchange rate" vs "card payment wrong exchange rate"
  const short = c.content.size <= SHORT_ANSWER_WORDS && r.content.size <= SHORT_ANSWER_WORDS && inOrder >= 2;
  if (nearVerbatim) {
    if (c.negations !== r.negations)
      return fail(`negation differs: ${c.negations} vs ${r.negations} negations in otherwise matching answers`);
    for (const h of regions) {
      // an added greeting or closing (at either end) or a whole sentence put in place of another is not a changed fact
      const spansSentence = h.a.some((i) => cw[i] === '|') || h.b.some((j) => rw[j] === '|');
      if ((h.before < 0 || h.after >= cw.length - 1) && spansSentence) continue;
      if (cw[h.before] === '|' && cw[h.after] === '|') continue;
      const inC = h.a.map((i) => cs[i]).filter((x) => x.content);
      const inR = h.b.map((j) => rs[j]).filter((x) => x.content);
      // a few words in place of a few others: swapped, even when they occur elsewhere ("card ... transfer" vs "transfer ... card");
      // in a longer region, words that occur elsewhere in the other answer were moved, not changed
      const few = inC.length <= 3 && inR.length <= 3;
      const swappedC = few && inR.length > 0 ? inC : inC.filter((x) => !r.content.has(x.key));
      const swappedR = few && inC.length > 0 ? inR : inR.filter((x) => !c.content.has(x.key));
      const show = (xs: { word: string }[]) => xs.map((x) => x.word).join(' ');
      if (swappedC.length > 0 && swappedR.length > 0)
        return fail(`"${show(swappedC)}" where the reference has "${show(swappedR)}"`);
      if (short && swappedC.length + swappedR.length > 0) {
        return fail(
          swappedR.length > 0
            ? `the cached answer lacks "${show(swappedR)}" of the reference`
            : `the cached answer adds "${show(swappedC)}" to the reference`,
        );
      }
    }
  }
  const shared = [...c.content].filter((k) => r.content.has(k)).length;
  const f1 = c.content.size + r.content.size === 0 ? 1 : (2 * shared) / (c.content.size + r.content.size);
  // the floor token F1 set before, on content words: an answer sharing under half of them says something else
  if (f1 < CONTENT_F1_FLOOR)
    return fail(
      `shares little content with the reference (content-word F1 ${f1.toFixed(2)} < ${CONTENT_F1_FLOOR}): it answers something else`,
    );
  return {
    name,
    value: 1,
    reason: `same numbers, identifiers and negation; content words agree (F1 ${f1.toFixed(2)})`,
  };
};

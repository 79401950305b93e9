// Builds datasets/cache-pairs/pairs.jsonl (see its SOURCE.md): labelled cache-hit pairs from real
// sentences of XQuAD-en (answer sentences of its questions) and LLMBar Natural (short model outputs).
//   npx tsx scripts/build-cache-pairs.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { seededRandom } from '../src/stats/seeded-random.js';
import {
  answerSentences,
  changeNumber,
  flipNegation,
  paraphrase,
  swapAnyWord,
  swapContentWord,
  type PairKind,
} from '../test/support/cache-pair-transforms.js';

const SEED = 777;
const HAND_CHECKED = 60;
const rand = seededRandom(SEED);
type Row = {
  id: string;
  query: string;
  reference: string;
  cached: string;
  kind: PairKind;
  label: 'valid' | 'false-hit';
  checked: 'by-hand' | 'by-construction';
  source: string;
};
const rows: Row[] = [];

// XQuAD: the questions from the 300th on (the planted cache test starts at the first), 150 valid and 160 false hits
const xq = answerSentences('datasets/xquad-en/xquad.en.json').slice(300);
const plan: [PairKind, number][] = [
  ['paraphrase', 150],
  ['number', 40],
  ['negation', 40],
  ['content-word', 40],
  ['other-sentence', 40],
];
let k = 0;
for (const [kind, count] of plan) {
  let made = 0;
  while (made < count && k < xq.length * 3) {
    const a = xq[k++ % xq.length];
    let cached: string | null = null;
    if (kind === 'paraphrase') cached = paraphrase(a.sentence, rand);
    else if (kind === 'number') cached = changeNumber(a.sentence, rand);
    else if (kind === 'negation') cached = flipNegation(a.sentence);
    else if (kind === 'content-word') cached = swapContentWord(a, xq, rand);
    else {
      // another sentence of the same paragraph: same topic, not the asked fact
      const others = a.neighbours.filter((n) => !n.includes(a.answer));
      cached = others.length ? others[Math.floor(rand() * others.length)] : null;
    }
    if (cached === null || cached === a.sentence || rows.some((r) => r.id === `xquad-${a.id}`)) continue;
    rows.push({
      id: `xquad-${a.id}`,
      query: a.question,
      reference: a.sentence,
      cached,
      kind,
      label: kind === 'paraphrase' ? 'valid' : 'false-hit',
      checked: 'by-construction',
      source: 'xquad-en',
    });
    made++;
  }
}

// LLMBar Natural: outputs under 300 characters as answers to their instruction, 50 valid and 40 false hits
const bar = JSON.parse(readFileSync('datasets/llmbar/Dataset/LLMBar/Natural/dataset.json', 'utf8')) as {
  input: string;
  output_1: string;
  output_2: string;
}[];
const outs = bar
  .flatMap((p, i) =>
    [p.output_1, p.output_2].map((o, j) => ({ id: `llmbar-natural-${i}-${j + 1}`, input: p.input, text: o.trim() })),
  )
  .filter((o) => o.text.length >= 40 && o.text.length < 300 && !o.text.includes('\n'));
const donor = [...new Set(outs.flatMap((o) => o.text.toLowerCase().match(/\b[a-z]{5,}\b/g) ?? []))];
const barPlan: [PairKind, number][] = [
  ['paraphrase', 50],
  ['number', 10],
  ['negation', 15],
  ['content-word', 15],
];
let b = 0;
for (const [kind, count] of barPlan) {
  let made = 0;
  for (let tries = 0; made < count && tries < outs.length; tries++) {
    const o = outs[b++ % outs.length];
    const cached =
      kind === 'paraphrase'
        ? paraphrase(o.text, rand)
        : kind === 'number'
          ? changeNumber(o.text, rand)
          : kind === 'negation'
            ? flipNegation(o.text)
            : swapAnyWord(o.text, donor, rand);
    if (cached === null || cached === o.text || rows.some((r) => r.id === o.id)) continue;
    rows.push({
      id: o.id,
      query: o.input,
      reference: o.text,
      cached,
      kind,
      label: kind === 'paraphrase' ? 'valid' : 'false-hit',
      checked: 'by-construction',
      source: 'llmbar-natural',
    });
    made++;
  }
}

// the hand-checked part: every (rows.length / HAND_CHECKED)-th pair, read and confirmed (see SOURCE.md)
const step = rows.length / HAND_CHECKED;
const checkedIds = new Set(Array.from({ length: HAND_CHECKED }, (_, i) => rows[Math.floor(i * step)].id));
// all 60 read on 2026-12-01 agreed with their construction label (SOURCE.md lists the debatable ones)
for (const r of rows) if (checkedIds.has(r.id)) r.checked = 'by-hand';
writeFileSync('datasets/cache-pairs/pairs.jsonl', `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
console.error(
  `${rows.length} pairs: ${rows.filter((r) => r.label === 'valid').length} valid, ${rows.filter((r) => r.label === 'false-hit').length} false hits, ${checkedIds.size} hand-checked`,
);

// Draws the GSM8K hand-check subset (datasets/gsm8k-hand-checked/SOURCE.md documents the rule).
// Prints the selected items for reading: question, gold final answer, the full response. It does not
// print any extractor's reading of the response: the labels are made by reading the text.
//   npx tsx scripts/select-gsm8k-hand-check.ts > /tmp/selection.jsonl
import { readFileSync } from 'node:fs';
import { seededRandom } from '../src/stats/seeded-random.js';
import { parseCsv } from '../src/text/parse-csv.js';

export const SEED = 20261201;
export const PER_STRATUM = 75;

/** The extractor driftwatch shipped before this subset (last number, or the number after `####`). */
function legacyFinalNumber(text: string): number | null {
  const marker = text.lastIndexOf('####');
  const scope = marker >= 0 ? text.slice(marker + 4) : text;
  const all = scope.replace(/<<[^>]*>>/g, ' ').match(/-?\$?\d[\d,]*(?:\.\d+)?|-?\.\d+/g);
  if (!all || all.length === 0) return null;
  const n = Number((marker >= 0 ? all[0] : all[all.length - 1]).replace(/[$,]/g, ''));
  return Number.isFinite(n) ? n : null;
}

const base = 'datasets/routellm-evals/gsm8k';
const gold = readFileSync(`${base}/test.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { question: string; answer: string });
const rows = parseCsv(readFileSync(`${base}/gsm8k_responses.csv`, 'utf8')).slice(1);
const models = [
  { key: 'mixtral', col: 3 },
  { key: 'gpt4turbo', col: 4 },
];
const rand = seededRandom(SEED);
const out: { id: string; model: string; row: number; stratum: string }[] = [];
for (const m of models) {
  const strata: Record<string, number[]> = { 'legacy-disagrees': [], 'legacy-agrees': [] };
  rows.forEach((r, i) => {
    const g = Number(gold[i].answer.split('####').pop()!.trim().replace(/,/g, ''));
    const legacy = legacyFinalNumber(r.fields[m.col]);
    strata[legacy !== null && Math.abs(legacy - g) < 1e-6 ? 'legacy-agrees' : 'legacy-disagrees'].push(i);
  });
  for (const [name, idx] of Object.entries(strata)) {
    // Fisher-Yates with the seeded generator, then the first PER_STRATUM in row order
    const a = [...idx];
    for (let k = a.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [a[k], a[j]] = [a[j], a[k]];
    }
    process.stderr.write(`${m.key} ${name}: ${idx.length} rows, ${Math.min(PER_STRATUM, a.length)} drawn\n`);
    for (const i of a.slice(0, PER_STRATUM).sort((x, y) => x - y))
      out.push({ id: `gsm8k-${i + 1}-${m.key}`, model: m.key, row: i + 1, stratum: name });
  }
}
for (const o of out) {
  const i = o.row - 1;
  console.log(
    JSON.stringify({
      ...o,
      question: gold[i].question,
      goldAnswer: gold[i].answer.split('####').pop()!.trim(),
      response: rows[i].fields[models.find((m) => m.key === o.model)!.col],
    }),
  );
}

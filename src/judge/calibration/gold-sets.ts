import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { parseCsv } from '../../text/parse-csv.js';

/** The datasets folder shipped with the package. */
export const DATASETS_DIR = fileURLToPath(new URL('../../../datasets/', import.meta.url));

/** The bundled gold sets judge-calibrate knows. */
export type GoldSetName = 'gsm8k' | 'gsm8k-hand' | 'cache-pairs' | 'llmbar';
export const GOLD_SETS: GoldSetName[] = ['gsm8k', 'gsm8k-hand', 'cache-pairs', 'llmbar'];

/** One answer with a known truth: `correct` answers should pass, `error` answers should be flagged. */
export interface GoldItem {
  id: string;
  input: string;
  candidate: string;
  reference: string;
  label: 'correct' | 'error';
  /** What kind of answer it is (default routing): a cache hit is judged against its fresh reference. */
  source?: 'routing' | 'cache';
}

function readGsm8k(dir: string): {
  base: string;
  gold: { question: string; answer: string }[];
  rows: ReturnType<typeof parseCsv>;
} {
  const base = `${dir.replace(/\/$/, '')}/routellm-evals/gsm8k`;
  const gold = readFileSync(`${base}/test.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  return { base, gold, rows: parseCsv(readFileSync(`${base}/gsm8k_responses.csv`, 'utf8')) };
}

const handLabelSchema = z
  .object({
    id: z.string().min(1),
    row: z.number().int().positive(),
    model: z.enum(['mistralai/Mixtral-8x7B-Instruct-v0.1', 'gpt-4-1106-preview']),
    stratum: z.string(),
    gold: z.string(),
    label: z.enum(['correct', 'incorrect', 'ambiguous']),
    note: z.string(),
  })
  .strict();

/** One hand-checked GSM8K answer: the response, the gold solution, and a reader's label. */
export interface HandCheckedItem extends Omit<GoldItem, 'label'> {
  model: string;
  stratum: string;
  label: 'correct' | 'incorrect' | 'ambiguous';
  note: string;
}

/**
 * The hand-checked GSM8K subset (datasets/gsm8k-hand-checked, SOURCE.md): 300 recorded answers of
 * Mixtral and GPT-4 Turbo, each read in full and labelled correct / incorrect / ambiguous without
 * any extractor. The response text and gold solution come from routellm-evals by row.
 */
export function loadGsm8kHandChecked(dir: string = DATASETS_DIR): HandCheckedItem[] {
  const { gold, rows } = readGsm8k(dir);
  const file = `${dir.replace(/\/$/, '')}/gsm8k-hand-checked/labels.jsonl`;
  const header = rows[0].fields;
  return readJsonl(file, handLabelSchema, (x, line) => {
    const row = rows[x.row];
    const g = gold[x.row - 1];
    if (!row || !g) throw new InputError(`${file}:${line}: row: ${x.row} is not a GSM8K test row`);
    const col = header.indexOf(`${x.model}_response`);
    if (g.answer.split('####').pop()!.trim() !== x.gold)
      throw new InputError(`${file}:${line}: gold: "${x.gold}" is not row ${x.row}'s gold answer`);
    return [
      {
        id: x.id,
        input: g.question,
        candidate: row.fields[col],
        reference: g.answer,
        model: x.model,
        stratum: x.stratum,
        label: x.label,
        note: x.note,
      },
    ];
  });
}

/** The hand-checked subset as gold items: its ambiguous answers have no truth to score against and are left out. */
export function loadGsm8kHandGold(dir: string = DATASETS_DIR): GoldItem[] {
  return loadGsm8kHandChecked(dir)
    .filter((x) => x.label !== 'ambiguous')
    .map((x) => ({
      id: x.id,
      input: x.input,
      candidate: x.candidate,
      reference: x.reference,
      label: x.label === 'correct' ? 'correct' : 'error',
    }));
}

/**
 * GSM8K: Mixtral-8x7B's answer to each test problem, the gold worked solution (ending `#### n`) as
 * reference, and RouteLLM's correctness label for Mixtral's answer.
 */
export function loadGsm8kGold(dir: string = DATASETS_DIR): GoldItem[] {
  const { base, gold, rows } = readGsm8k(dir);
  const header = rows[0].fields;
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`${base}/gsm8k_responses.csv:1: column "${name}" is missing`);
    return i;
  };
  const [label, response] = [
    col('mistralai/Mixtral-8x7B-Instruct-v0.1'),
    col('mistralai/Mixtral-8x7B-Instruct-v0.1_response'),
  ];
  return rows.slice(1).map((r, i) => {
    const v = r.fields[label];
    if (v !== 'True' && v !== 'False')
      throw new InputError(`${base}/gsm8k_responses.csv:${r.line}: Mixtral label must be True or False, got "${v}"`);
    return {
      id: `gsm8k-${i + 1}`,
      input: gold[i].question,
      candidate: r.fields[response],
      reference: gold[i].answer,
      label: v === 'True' ? 'correct' : 'error',
    };
  });
}

const pairSchema = z.array(
  z.object({
    input: z.string(),
    output_1: z.string(),
    output_2: z.string(),
    label: z.union([z.literal(1), z.literal(2)]),
  }),
);

/**
 * LLMBar pairs (Natural + MT-Bench subsets) as two items each: the better output judged against the
 * worse one as reference should pass; the worse output judged against the better one should fail.
 */
export function loadLlmbarGold(dir: string = DATASETS_DIR): GoldItem[] {
  return loadLlmbarPairs(dir).flatMap((p) => {
    const [better, worse] = p.label === 1 ? [p.output1, p.output2] : [p.output2, p.output1];
    return [
      { id: `${p.id}-better`, input: p.input, candidate: better, reference: worse, label: 'correct' as const },
      { id: `${p.id}-worse`, input: p.input, candidate: worse, reference: better, label: 'error' as const },
    ];
  });
}

/** One LLMBar instance: a request, two outputs, and which one is better (the gold preference). */
export interface GoldPair {
  id: string;
  input: string;
  output1: string;
  output2: string;
  label: 1 | 2;
}

/** The LLMBar pairs as published (Natural, then MT-Bench), ids `llmbar-<subset>-<index>`. */
export function loadLlmbarPairs(dir: string = DATASETS_DIR): GoldPair[] {
  const base = `${dir.replace(/\/$/, '')}/llmbar/Dataset`;
  const out: GoldPair[] = [];
  for (const [name, file] of [
    ['natural', 'LLMBar/Natural/dataset.json'],
    ['mtbench', 'Processed/MT-Bench/dataset.json'],
  ] as const) {
    const pairs = pairSchema.parse(JSON.parse(readFileSync(`${base}/${file}`, 'utf8')));
    for (const [i, p] of pairs.entries())
      out.push({ id: `llmbar-${name}-${i}`, input: p.input, output1: p.output_1, output2: p.output_2, label: p.label });
  }
  return out;
}

const cachePairSchema = z
  .object({
    id: z.string().min(1),
    query: z.string().min(1),
    reference: z.string().min(1),
    cached: z.string().min(1),
    kind: z.enum(['paraphrase', 'number', 'negation', 'content-word', 'other-sentence']),
    label: z.enum(['valid', 'false-hit']),
    checked: z.enum(['by-hand', 'by-construction']),
    source: z.string().min(1),
  })
  .strict();

/** One labelled cache hit: the new query, the fresh reference, the cached answer, valid or a false hit. */
export type CachePairItem = z.infer<typeof cachePairSchema>;

/** The labelled cache-hit pairs (datasets/cache-pairs, SOURCE.md): built from XQuAD and Banking77 sentences. */
export function loadCachePairs(dir: string = DATASETS_DIR): CachePairItem[] {
  const file = `${dir.replace(/\/$/, '')}/cache-pairs/pairs.jsonl`;
  return readJsonl(file, cachePairSchema, (x) => [x]);
}

/** The cache pairs as gold items: a valid hit should pass, a false hit should be flagged. */
export function loadCachePairsGold(dir: string = DATASETS_DIR): GoldItem[] {
  return loadCachePairs(dir).map((x) => ({
    id: x.id,
    input: x.query,
    candidate: x.cached,
    reference: x.reference,
    label: x.label === 'valid' ? 'correct' : 'error',
    source: 'cache',
  }));
}

/**
 * Each non-blank line of a JSONL file parsed and checked against `schema`, then mapped by `each`
 * (given its 1-based line number) in file order; a bad line is an InputError naming file:line: field.
 */
function readJsonl<S extends z.ZodType, R>(
  file: string,
  schema: S,
  each: (value: z.infer<S>, line: number) => R[],
): R[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, i) => {
      if (text.trim() === '') return [];
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new InputError(`${file}:${i + 1}: not JSON: ${(err as Error).message}`);
      }
      const p = schema.safeParse(raw);
      if (!p.success)
        throw new InputError(
          `${file}:${i + 1}: ${p.error.issues[0].path.join('.') || 'line'}: ${p.error.issues[0].message}`,
        );
      return each(p.data, i + 1);
    });
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { parseCsv } from '../../text/parse-csv.js';

/** The datasets folder shipped with the package. */
export const DATASETS_DIR = fileURLToPath(new URL('../../../datasets/', import.meta.url));

/** The bundled gold sets judge-calibrate knows. */
export type GoldSetName = 'gsm8k' | 'llmbar';
export const GOLD_SETS: GoldSetName[] = ['gsm8k', 'llmbar'];

/** One answer with a known truth: `correct` answers should pass, `error` answers should be flagged. */
export interface GoldItem {
  id: string;
  input: string;
  candidate: string;
  reference: string;
  label: 'correct' | 'error';
}

/**
 * GSM8K: Mixtral-8x7B's answer to each test problem, the gold worked solution (ending `#### n`) as
 * reference, and RouteLLM's correctness label for Mixtral's answer.
 */
export function loadGsm8kGold(dir: string = DATASETS_DIR): GoldItem[] {
  const base = `${dir.replace(/\/$/, '')}/routellm-evals/gsm8k`;
  const gold = readFileSync(`${base}/test.jsonl`, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { question: string; answer: string });
  const rows = parseCsv(readFileSync(`${base}/gsm8k_responses.csv`, 'utf8'));
  const header = rows[0].fields;
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`${base}/gsm8k_responses.csv:1: column "${name}" is missing`);
    return i;
  };
  const [label, response] = [col('mistralai/Mixtral-8x7B-Instruct-v0.1'), col('mistralai/Mixtral-8x7B-Instruct-v0.1_response')];
  return rows.slice(1).map((r, i) => {
    const v = r.fields[label];
    if (v !== 'True' && v !== 'False') throw new InputError(`${base}/gsm8k_responses.csv:${r.line}: Mixtral label must be True or False, got "${v}"`);
    return { id: `gsm8k-${i + 1}`, input: gold[i].question, candidate: r.fields[response], reference: gold[i].answer, label: v === 'True' ? 'correct' : 'error' };
  });
}

const pairSchema = z.array(z.object({ input: z.string(), output_1: z.string(), output_2: z.string(), label: z.union([z.literal(1), z.literal(2)]) }));

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
  for (const [name, file] of [['natural', 'LLMBar/Natural/dataset.json'], ['mtbench', 'Processed/MT-Bench/dataset.json']] as const) {
    const pairs = pairSchema.parse(JSON.parse(readFileSync(`${base}/${file}`, 'utf8')));
    pairs.forEach((p, i) => out.push({ id: `llmbar-${name}-${i}`, input: p.input, output1: p.output_1, output2: p.output_2, label: p.label }));
  }
  return out;
}

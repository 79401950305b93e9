import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadBanking77 as loadBanking77Splits } from '../cache/banking77.js';

/** The datasets folder shipped with the package. */
export const DATASETS_DIR = fileURLToPath(new URL('../../datasets/', import.meta.url));

/** One prompt with the recorded answers of the cheap and the premium model. */
export interface Recording {
  id: string;
  prompt: string;
  /** Recorded response per model id (catalog names). */
  responses: Record<string, string>;
  /** Gold answer, when the dataset has one. */
  reference?: string;
  /** Dataset's own correctness label per model, when it has one (for judge calibration). */
  labels?: Record<string, boolean>;
  metadata?: Record<string, unknown>;
}

export const CHEAP_MODEL = 'mixtral-8x7b';
export const PREMIUM_MODEL = 'gpt-4-turbo';

/**
 * RouteLLM's GSM8K recordings: Mixtral-8x7B and GPT-4 Turbo answers to the 1,319 test
 * questions with the dataset's correctness labels; the reference is GSM8K's gold
 * solution ending in `#### n`.
 */
export function loadGsm8kRecordings(dir = path.join(DATASETS_DIR, 'routellm-evals', 'gsm8k')): Recording[] {
  const gold = new Map<string, string>();
  for (const line of readFileSync(path.join(dir, 'test.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { question, answer } = JSON.parse(line) as { question: string; answer: string };
    gold.set(question.trim(), answer);
  }
  const rows = parse(readFileSync(path.join(dir, 'gsm8k_responses.csv')), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  return rows.map((r, i) => ({
    id: `gsm8k-${i}`,
    prompt: r.prompt,
    responses: {
      [CHEAP_MODEL]: r['mistralai/Mixtral-8x7B-Instruct-v0.1_response'].trim(),
      [PREMIUM_MODEL]: r['gpt-4-1106-preview_response'].trim(),
    },
    reference: gold.get(r.prompt.trim()),
    labels: {
      [CHEAP_MODEL]: r['mistralai/Mixtral-8x7B-Instruct-v0.1'] === 'True',
      [PREMIUM_MODEL]: r['gpt-4-1106-preview'] === 'True',
    },
  }));
}

/**
 * MT-bench first-turn answers of both models, cut from the recorded GPT-4 judge prompts,
 * with GPT-4's 1-10 score in metadata. There is no gold answer for most questions.
 */
export function loadMtBenchRecordings(dir = path.join(DATASETS_DIR, 'routellm-evals', 'mt_bench')): Recording[] {
  const byQuestion = new Map<number, Recording>();
  for (const line of readFileSync(path.join(dir, 'judgements.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const j = JSON.parse(line) as {
      question_id: number;
      model: string;
      turn: number;
      user_prompt: string;
      score: number;
    };
    if (j.turn !== 1) continue;
    const question = between(j.user_prompt, '[Question]\n', '\n\n[The Start of');
    const answer = between(j.user_prompt, "[The Start of Assistant's Answer]\n", "\n[The End of Assistant's Answer]");
    if (question === undefined || answer === undefined) continue;
    const model = j.model.startsWith('mistralai/') ? CHEAP_MODEL : PREMIUM_MODEL;
    const rec = byQuestion.get(j.question_id) ?? {
      id: `mtbench-${j.question_id}`,
      prompt: question,
      responses: {},
      metadata: { gpt4Scores: {} },
    };
    rec.responses[model] = answer;
    (rec.metadata!.gpt4Scores as Record<string, number>)[model] = j.score;
    byQuestion.set(j.question_id, rec);
  }
  return [...byQuestion.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** Banking77 rows (`text`, `category`) of one split, read by the cache's loader. */
export function loadBanking77(split: 'train' | 'test'): { text: string; category: string }[] {
  return loadBanking77Splits()[split].map((q) => ({ text: q.text, category: q.intent }));
}

function between(s: string, start: string, end: string): string | undefined {
  const i = s.indexOf(start);
  if (i < 0) return undefined;
  const j = s.indexOf(end, i + start.length);
  return j < 0 ? undefined : s.slice(i + start.length, j).trim();
}

import { countTokens } from '../routing/count-tokens.js';
import { containsNormalized, normalizeAnswer } from './normalize-answer.js';
import { splitUnits } from './split-units.js';
import type { QaItem } from './qa-item.js';

/**
 * How much of what the question needs survived compression, in [0, 1]. With evidence passages
 * (QMSum): the token-weighted share of evidence sentences still present verbatim (normalised);
 * otherwise 1 when any gold answer is still present, else 0.
 */
export function scoreRetention(item: QaItem, compressedNormalized: string): number {
  if (item.evidence) return evidenceCoverage(item.evidence, compressedNormalized);
  return item.answers.some((a) => containsNormalized(compressedNormalized, a)) ? 1 : 0;
}

const evidenceCache = new Map<string, { words: string[]; tokens: number }[]>();

function evidenceCoverage(evidence: string[], compressedNormalized: string): number {
  const index = indexByWordPairs(compressedNormalized);
  let total = 0;
  let kept = 0;
  for (const passage of evidence) {
    for (const s of evidenceSentences(passage)) {
      total += s.tokens;
      if (occurs(index, s.words)) kept += s.tokens;
    }
  }
  return total === 0 ? 1 : kept / total;
}

interface WordIndex {
  words: string[];
  starts: Map<string, number[]>;
}

/** Positions of every two-word start in the compressed text: a sentence is looked up, not scanned for. */
function indexByWordPairs(text: string): WordIndex {
  const words = text.split(' ');
  const starts = new Map<string, number[]>();
  for (let i = 0; i < words.length; i++) {
    const key = `${words[i]} ${words[i + 1] ?? ''}`;
    const list = starts.get(key);
    if (list) list.push(i);
    else starts.set(key, [i]);
  }
  return { words, starts };
}

/** True when `needle` occurs as a run of whole words in the indexed text. */
function occurs(index: WordIndex, needle: string[]): boolean {
  if (needle.length === 1) return index.words.includes(needle[0]);
  for (const at of index.starts.get(`${needle[0]} ${needle[1] ?? ''}`) ?? []) {
    let k = 2;
    while (k < needle.length && index.words[at + k] === needle[k]) k++;
    if (k >= needle.length) return true;
  }
  return false;
}

function evidenceSentences(passage: string): { words: string[]; tokens: number }[] {
  let hit = evidenceCache.get(passage);
  if (!hit) {
    hit = splitUnits(passage)
      .map((u) => ({ words: normalizeAnswer(u.text).split(' '), tokens: countTokens(u.text) }))
      .filter((s) => s.words[0] !== '');
    if (evidenceCache.size > 20_000) evidenceCache.clear();
    evidenceCache.set(passage, hit);
  }
  return hit;
}

import type { Rubric } from './rubric.js';

/** The content under evaluation: the request, the answer being judged and the reference answer. */
export interface JudgeSubject {
  input: string;
  candidate: string;
  reference: string;
}

// Anything that looks like our delimiter (open or close, any case or spacing, any dash or
// underscore between the words, HTML-escaped or not), matched after normalisation.
const DELIMITER_LOOKALIKE =
  /<\s*\/?\s*untrusted[\s_\-\u2010-\u2015\u2212]*data[^>]*>|&lt;\s*\/?\s*untrusted[\s_\-\u2010-\u2015\u2212]*data/gi;

// Invisible format characters that could split the delimiter's letters: zero-width space, joiners,
// LRM/RLM, bidi embeddings, overrides and isolates, word joiner and invisible operators, BOM, soft hyphen.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Makes text safe to place inside an <untrusted-data> block: the text is normalised (NFKC, so
 * fullwidth and small-form `＜` `﹤` become `<`; invisible format characters removed) and then
 * delimiter look-alikes are defused.
 */
export function neutralizeDelimiters(text: string): string {
  const normal = text.normalize('NFKC').replace(INVISIBLE, '');
  return normal.replace(DELIMITER_LOOKALIKE, (m) => `[${m.replace(/[<>]/g, '').replace(/&lt;/gi, '')}]`);
}

/** Wraps untrusted text in a named, delimited block. */
export function untrustedBlock(name: string, text: string): string {
  return `<untrusted-data name="${name}">\n${neutralizeDelimiters(text)}\n</untrusted-data>`;
}

/** The system prompt and user prompt for one judging request (the word "verdict" is always present). */
export function buildJudgePrompt(rubric: Rubric, s: JudgeSubject): { system: string; prompt: string } {
  const blocks: Record<string, string> = {
    '{{input}}': `REQUEST:\n${untrustedBlock('request', s.input)}`,
    '{{reference}}': `REFERENCE answer:\n${untrustedBlock('reference', s.reference)}`,
    '{{candidate}}': `CANDIDATE answer:\n${untrustedBlock('candidate', s.candidate)}`,
  };
  // One pass, so text inserted for one placeholder is never scanned for another.
  const prompt = rubric.template.replace(/\{\{(input|reference|candidate)\}\}/g, (m) => blocks[m]);
  return { system: rubric.system, prompt };
}

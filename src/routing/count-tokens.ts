import { createRequire } from 'node:module';

type GptTokenizer = typeof import('gpt-tokenizer');

const loadCommonJs = createRequire(import.meta.url);
let tokenizer: GptTokenizer | undefined;

/**
 * Token count with the o200k encoding; special-token text in user content counts as plain text.
 * The encoder (about 0.7 s and 70 MB to load) is loaded on the first count, not at import, so a
 * command that never counts tokens (an offline judge, a report) never pays for it.
 */
export function countTokens(text: string): number {
  tokenizer ??= loadCommonJs('gpt-tokenizer') as GptTokenizer;
  return tokenizer.countTokens(text, { disallowedSpecial: new Set() });
}

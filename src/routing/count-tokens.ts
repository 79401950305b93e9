import { countTokens as countO200k } from 'gpt-tokenizer';

/** Token count with the o200k encoding; special-token text in user content counts as plain text. */
export function countTokens(text: string): number {
  return countO200k(text, { disallowedSpecial: new Set() });
}

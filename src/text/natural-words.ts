import { createRequire } from 'node:module';

type Stemmers = typeof import('natural/lib/natural/stemmers/index.js');
type Tokenizers = typeof import('natural/lib/natural/tokenizers/index.js');

// natural by deep path, and only on the first call: its stemmer and tokenizer take about 0.3 s to
// import, which a command that compares no text (a report, a judge run with nothing pending) skips.
const loadCommonJs = createRequire(import.meta.url);
let stemmers: Stemmers | undefined;
let wordTokenizer: { tokenize(text: string): string[] | null } | undefined;

/** natural's Porter stem of one word. */
export function porterStem(word: string): string {
  stemmers ??= loadCommonJs('natural/lib/natural/stemmers/index.js') as Stemmers;
  return stemmers.PorterStemmer.stem(word);
}

/** natural's WordTokenizer: the runs of letters, digits and underscores in `text`. */
export function wordTokens(text: string): string[] {
  if (!wordTokenizer) {
    // the constructor in a variable, not `new (require(...) as T).WordTokenizer()`: TypeScript 7.0's
    // emit drops those parentheses, and `new require(...).WordTokenizer()` calls the class without new
    const { WordTokenizer } = loadCommonJs('natural/lib/natural/tokenizers/index.js') as Tokenizers;
    wordTokenizer = new WordTokenizer();
  }
  return wordTokenizer.tokenize(text) ?? [];
}

// Scripts written without spaces between words (Unicode Script property): Han, Hiragana,
// Katakana, Thai, Lao, Khmer, Myanmar, Tibetan, Javanese, Balinese, Tai Tham, New Tai Lue, Yi.
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Javanese}\p{Script=Balinese}\p{Script=Tai_Tham}\p{Script=New_Tai_Lue}\p{Script=Yi}\u30FC]/u;

/** True when the character (one code point) belongs to a script written without spaces between words. */
export function isUnspacedScript(char: string | undefined): boolean {
  return char !== undefined && UNSPACED.test(char);
}

/** True when `text` has any character of a script written without spaces. */
export function hasUnspacedScript(text: string): boolean {
  return UNSPACED.test(text);
}

/** 32-bit FNV-1a hash (unsigned) of a string's UTF-16 code units: the feature hash of the lexical embeddings. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// natural ships no declaration for its stop-word file; importing it directly avoids util/index.js,
// which loads storage back ends that print to stdout.
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}

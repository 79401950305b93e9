import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Embedder, l2Normalize } from './embedder.js';

/** Unit-vector components are stored as 16-bit fixed point: x * SCALE, rounded (error <= 1.6e-5). */
const SCALE = 32767;

interface Header {
  embedder: string;
  dims: number;
  count: number;
  /** sha256 of the texts, one a line, in the file's order: a changed text list reads as no file. */
  texts: string;
}

const digest = (texts: string[]) => createHash('sha256').update(texts.join('\n')).digest('hex');

/** Writes `vectors` (unit length, one per text) as a JSON header line and little-endian int16s. */
export function writeStoredVectors(file: string, embedder: Embedder, texts: string[], vectors: number[][]): void {
  const header: Header = { embedder: embedder.id, dims: embedder.dims, count: texts.length, texts: digest(texts) };
  const body = Buffer.alloc(texts.length * embedder.dims * 2);
  for (const [i, v] of vectors.entries())
    for (const [j, x] of v.entries())
      body.writeInt16LE(Math.round(Math.max(-1, Math.min(1, x)) * SCALE), (i * embedder.dims + j) * 2);
  writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]));
}

/**
 * Reads the vectors `writeStoredVectors` wrote for exactly these `texts` with this embedder, keyed by
 * text; an empty map when the file is missing, unreadable, cut short, or was written for another
 * model or text list.
 */
export function readStoredVectors(file: string, embedder: Embedder, texts: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!existsSync(file)) return out;
  const buf = readFileSync(file);
  const nl = buf.indexOf(10);
  const h = parseHeader(buf.subarray(0, Math.max(0, nl)).toString('utf8'));
  const body = buf.subarray(nl + 1);
  if (
    !h ||
    h.embedder !== embedder.id ||
    h.dims !== embedder.dims ||
    h.count !== texts.length ||
    h.texts !== digest(texts) ||
    body.length !== h.count * h.dims * 2 // a truncated or padded file
  )
    return out;
  for (const [i, t] of texts.entries()) {
    const v = new Array<number>(h.dims);
    for (let j = 0; j < h.dims; j++) v[j] = body.readInt16LE((i * h.dims + j) * 2) / SCALE;
    out.set(t, l2Normalize(v));
  }
  return out;
}

function parseHeader(line: string): Header | undefined {
  try {
    return JSON.parse(line) as Header;
  } catch {
    return undefined; // not a vector file: read as no file
  }
}

/**
 * `base` with vectors it made before: a stored text gets its stored vector, every other text goes to
 * `base` (in one call per embed). Same id, kind and size as `base`: the stored vectors are its own.
 */
export function withStoredVectors(base: Embedder, stored: Map<string, number[]>): Embedder {
  return {
    id: base.id,
    kind: base.kind,
    dims: base.dims,
    async embed(texts) {
      const missing = texts.filter((t) => !stored.has(t));
      const fresh = missing.length > 0 ? await base.embed(missing) : [];
      const made = new Map(missing.map((t, i) => [t, fresh[i]]));
      return texts.map((t) => stored.get(t) ?? made.get(t)!);
    },
  };
}

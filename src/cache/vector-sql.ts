import { DatabaseError } from '../errors.js';

/** pgvector's text form `[x,y,...]`, used as a query parameter cast with `::vector`. */
export function toVectorLiteral(v: number[]): string {
  return `[${v.join(',')}]`;
}

/** Reads a vector column: `number[]` when pgvector types are registered on pg, text otherwise. */
export function parseVector(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'string' && value.startsWith('[')) return value.slice(1, -1).split(',').map(Number);
  throw new DatabaseError(`expected a pgvector value, got ${typeof value}`);
}

/** One row of a binary COPY into cache_entries. */
export interface CopyRow {
  taskType: string;
  query: string;
  embedding: number[];
  embedder: string;
  result: unknown;
  createdAt: Date;
}

const ENCODER = new TextEncoder();
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * Encodes rows for `COPY cache_entries (task_type, query, embedding, dims, embedder, result,
 * created_at) FROM ... WITH (FORMAT binary)`. Binary COPY skips pgvector's text parser, which
 * costs ~2.4 ms per 1,536-d vector inside PGlite's WASM (stack-probe section 2.1).
 */
export function encodeCacheEntriesCopy(rows: CopyRow[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(19);
  header.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
  parts.push(header);
  for (const r of rows) parts.push(encodeRow(r));
  parts.push(new Uint8Array([0xff, 0xff]));
  return concat(parts);
}

function encodeRow(r: CopyRow): Uint8Array {
  const text = (s: string) => ENCODER.encode(s);
  const vec = new DataView(new ArrayBuffer(4 + 4 * r.embedding.length));
  vec.setInt16(0, r.embedding.length);
  vec.setInt16(2, 0);
  for (const [i, x] of r.embedding.entries()) vec.setFloat32(4 + 4 * i, x);
  const dims = new DataView(new ArrayBuffer(4));
  dims.setInt32(0, r.embedding.length);
  const jsonb = concat([new Uint8Array([1]), text(JSON.stringify(r.result))]);
  const ts = new DataView(new ArrayBuffer(8));
  ts.setBigInt64(0, BigInt(r.createdAt.getTime() - PG_EPOCH_MS) * 1000n);
  const fields = [
    text(r.taskType),
    text(r.query),
    new Uint8Array(vec.buffer),
    new Uint8Array(dims.buffer),
    text(r.embedder),
    jsonb,
    new Uint8Array(ts.buffer),
  ];
  const out: Uint8Array[] = [int16(fields.length)];
  for (const f of fields) out.push(int32(f.length), f);
  return concat(out);
}

function int16(n: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(2));
  b.setInt16(0, n);
  return new Uint8Array(b.buffer);
}

function int32(n: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(4));
  b.setInt32(0, n);
  return new Uint8Array(b.buffer);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

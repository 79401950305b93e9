import { createReadStream } from 'node:fs';
import { InputError } from '../errors.js';

/** One line of a text file: its 1-based number and its text without the line break. */
export interface Line {
  lineNo: number;
  text: string;
}

/**
 * Streams the lines of a UTF-8 file (LF or CRLF; a BOM on line 1 is dropped). Bytes that are not
 * UTF-8 throw InputError naming the line, instead of turning into U+FFFD.
 */
export async function* readLines(file: string): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const stream = createReadStream(file);
  const decode = (bytes: Buffer, lineNo: number): Line => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new InputError(
        `${file}:${lineNo}: invalid UTF-8 at byte ${firstBadByte(bytes.subarray(0, end)) + 1} of the line; nothing from this file was stored`,
      );
    }
    return { lineNo, text: lineNo === 1 ? text.replace(/^\uFEFF/, '') : text };
  };
  let carry: Buffer[] = [];
  let lineNo = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, nl);
        yield decode(carry.length ? Buffer.concat([...carry, piece]) : piece, ++lineNo);
        carry = [];
        start = nl + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    }
    if (carry.length) yield decode(Buffer.concat(carry), ++lineNo);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    stream.destroy();
  }
}

/** Index of the first byte where `bytes` stops being valid UTF-8 (a U+FFFD that was not in the input). */
function firstBadByte(bytes: Uint8Array): number {
  const loose = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  for (let i = loose.indexOf('\uFFFD'); i >= 0; i = loose.indexOf('\uFFFD', i + 1)) {
    const at = Buffer.byteLength(loose.slice(0, i));
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at;
  }
  return 0;
}

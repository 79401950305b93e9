/**
 * The parts of OTLP/JSON (opentelemetry-proto 1.x, `ExportTraceServiceRequest` as the Collector's
 * file exporter writes it, one request per line) that driftwatch reads. Per the OTLP/JSON rules:
 * field names are lowerCamelCase, traceId/spanId are hex strings (not base64), 64-bit integers
 * (intValue, *UnixNano) may be strings or numbers, unknown fields are ignored.
 */

/** An attribute value (AnyValue) as plain JS: arrays and kvlists become arrays and objects. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

/** One span with its attributes flattened into a map (later keys win, as the SDKs dedupe them). */
export interface OtlpSpan {
  /** Where it is in the request, for messages: `resourceSpans[0].scopeSpans[1].spans[2]`. */
  path: string;
  traceId: string;
  spanId: string;
  name: string;
  startNs: bigint;
  endNs: bigint | null;
  attributes: Map<string, AttrValue>;
  resource: Map<string, AttrValue>;
  events: { name: string; timeNs: bigint | null; attributes: Map<string, AttrValue> }[];
  /** STATUS_CODE_ERROR (2) */
  error: boolean;
}

/** A field that breaks the format: where and why (the caller adds file and line). */
export class OtlpFormatError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function list(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpFormatError(`${at}: expected an array`);
  return v;
}

function object(v: unknown, at: string): Record<string, unknown> {
  if (!isObject(v)) throw new OtlpFormatError(`${at}: expected an object`);
  return v;
}

/** An OTLP AnyValue; `{}` (no value set) is null. */
export function anyValue(v: unknown, at: string): AttrValue {
  if (v === undefined || v === null) return null;
  const o = object(v, at);
  if ('stringValue' in o) {
    if (typeof o.stringValue !== 'string') throw new OtlpFormatError(`${at}.stringValue: expected a string`);
    return o.stringValue;
  }
  if ('boolValue' in o) {
    if (typeof o.boolValue !== 'boolean') throw new OtlpFormatError(`${at}.boolValue: expected true or false`);
    return o.boolValue;
  }
  if ('intValue' in o) {
    const n = typeof o.intValue === 'string' && /^-?\d+$/.test(o.intValue) ? Number(o.intValue) : o.intValue;
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw new OtlpFormatError(`${at}.intValue: expected an integer (a decimal string in OTLP/JSON)`);
    return n;
  }
  if ('doubleValue' in o) {
    const d = o.doubleValue;
    if (typeof d === 'number') return d;
    if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return Number(d);
    throw new OtlpFormatError(`${at}.doubleValue: expected a number`);
  }
  if ('arrayValue' in o)
    return list(object(o.arrayValue ?? {}, `${at}.arrayValue`).values, `${at}.arrayValue.values`).map((x, i) =>
      anyValue(x, `${at}.arrayValue.values[${i}]`),
    );
  if ('kvlistValue' in o)
    return Object.fromEntries(
      keyValues(object(o.kvlistValue ?? {}, `${at}.kvlistValue`).values, `${at}.kvlistValue.values`),
    );
  if ('bytesValue' in o) {
    if (typeof o.bytesValue !== 'string') throw new OtlpFormatError(`${at}.bytesValue: expected a base64 string`);
    return o.bytesValue;
  }
  return null;
}

function keyValues(v: unknown, at: string): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  list(v, at).forEach((kv, i) => {
    const o = object(kv, `${at}[${i}]`);
    if (typeof o.key !== 'string') throw new OtlpFormatError(`${at}[${i}].key: expected a string`);
    out.set(o.key, anyValue(o.value, `${at}[${i}].value`));
  });
  return out;
}

function hexId(v: unknown, digits: number, at: string): string {
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(v) || /^0+$/.test(v)) {
    throw new OtlpFormatError(
      `${at}: expected ${digits} hex digits, not all zero (OTLP/JSON writes ids as hex), got ${JSON.stringify(v)?.slice(0, 60)}`,
    );
  }
  return v.toLowerCase();
}

function unixNano(v: unknown, at: string, required: boolean): bigint | null {
  if ((v === undefined || v === null) && !required) return null;
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  // a JSON number (allowed by the proto3 mapping) has lost the nanoseconds past 2^53 already: close enough for a timestamp
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.round(v));
  throw new OtlpFormatError(
    `${at}: expected nanoseconds since the epoch (a decimal string), got ${JSON.stringify(v)?.slice(0, 60)}`,
  );
}

/** Every span of one ExportTraceServiceRequest; throws OtlpFormatError naming the field. */
export function readSpans(request: unknown): OtlpSpan[] {
  const req = object(request, '(line)');
  if (!('resourceSpans' in req))
    throw new OtlpFormatError('resourceSpans: missing (expected an OTLP/JSON ExportTraceServiceRequest per line)');
  const out: OtlpSpan[] = [];
  list(req.resourceSpans, 'resourceSpans').forEach((rs, r) => {
    const rsAt = `resourceSpans[${r}]`;
    const rso = object(rs, rsAt);
    const resource = keyValues(
      rso.resource === undefined ? [] : object(rso.resource, `${rsAt}.resource`).attributes,
      `${rsAt}.resource.attributes`,
    );
    list(rso.scopeSpans, `${rsAt}.scopeSpans`).forEach((ss, s) => {
      const ssAt = `${rsAt}.scopeSpans[${s}]`;
      list(object(ss, ssAt).spans, `${ssAt}.spans`).forEach((sp, i) => {
        const at = `${ssAt}.spans[${i}]`;
        const o = object(sp, at);
        const status = o.status === undefined ? {} : object(o.status, `${at}.status`);
        out.push({
          path: at,
          traceId: hexId(o.traceId, 32, `${at}.traceId`),
          spanId: hexId(o.spanId, 16, `${at}.spanId`),
          name: typeof o.name === 'string' ? o.name : '',
          startNs: unixNano(o.startTimeUnixNano, `${at}.startTimeUnixNano`, true)!,
          endNs: unixNano(o.endTimeUnixNano, `${at}.endTimeUnixNano`, false),
          attributes: keyValues(o.attributes, `${at}.attributes`),
          resource,
          events: list(o.events, `${at}.events`).map((e, j) => {
            const eo = object(e, `${at}.events[${j}]`);
            return {
              name: typeof eo.name === 'string' ? eo.name : '',
              timeNs: unixNano(eo.timeUnixNano, `${at}.events[${j}].timeUnixNano`, false),
              attributes: keyValues(eo.attributes, `${at}.events[${j}].attributes`),
            };
          }),
          error: status.code === 2 || status.code === 'STATUS_CODE_ERROR',
        });
      });
    });
  });
  return out;
}

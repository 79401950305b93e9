import { InputError } from '../errors.js';

/**
 * One command-line flag: how it reads in help (description, placeholder, default) and how its raw
 * text becomes a typed value `V`. A flag's name is its key in camelCase (`maxCostUsd` is
 * `--max-cost-usd`). Building blocks are in `flag` below; this module imports nothing heavy, so the
 * registry and `--help` can load every command's flags without loading any command.
 */
export interface Flag<V> {
  kind: 'boolean' | 'string';
  description: string;
  /** The value's placeholder in help (`FILE`, `N`); none for a boolean. */
  placeholder?: string;
  /** The default as help shows it (a value, or where it comes from: "judge.maxCostUsd in driftwatch.yaml"). */
  defaultText: string;
  short?: string;
  /** The typed value from the raw argv value (undefined when the flag is absent); throws InputError. */
  read(raw: string | boolean | undefined, flagName: string): V;
}

/** A command's flags by camelCase key. */
export type FlagDefs = Record<string, Flag<unknown>>;

/** The typed values of a set of flags. */
export type FlagValues<F extends FlagDefs> = { [K in keyof F]: F[K] extends Flag<infer V> ? V : never };

/** A default: a value (used when the flag is absent), or only a description of where it comes from. */
type Default<T> = { default: T; defaultText?: string } | { default?: undefined; defaultText: string };
/** `T` when there is a default value, `T | undefined` when the command resolves the fallback itself. */
type WithDefault<T, D> = D extends { default: T } ? T : T | undefined;

/** `--max-cost-usd` for the key `maxCostUsd`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function valueFlag<T, D extends Default<T>>(
  description: string,
  placeholder: string,
  d: D,
  parse: (raw: string, name: string) => T,
  show: (v: T) => string = String,
): Flag<WithDefault<T, D>> {
  const fallback = d.default;
  return {
    kind: 'string',
    description,
    placeholder,
    defaultText: d.defaultText ?? (fallback === undefined ? 'none' : show(fallback)),
    read: (raw, name) => (raw === undefined ? fallback : parse(String(raw), name)) as WithDefault<T, D>,
  };
}

interface NumberRange {
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  placeholder?: string;
}

function parseNumber(raw: string, name: string, r: NumberRange): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new InputError(`${name} expects a number, got "${raw}"`);
  if (r.integer && !Number.isInteger(n)) throw new InputError(`${name} expects a whole number, got ${n}`);
  const low = r.min !== undefined && n < r.min;
  const high = r.max !== undefined && n > r.max;
  if (low || high) {
    const range =
      r.min !== undefined && r.max !== undefined
        ? `between ${r.min} and ${r.max}`
        : r.min !== undefined
          ? `at least ${r.min}`
          : `at most ${r.max}`;
    throw new InputError(`${name} must be ${range}, got ${n}`);
  }
  return n;
}

const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a duration like 30s, 5m, 2h, 1d or plain milliseconds; `min` in milliseconds. */
function parseDuration(raw: string, name: string, min: number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!m) throw new InputError(`${name} expects a duration such as 30s, 5m or 1h, got "${raw}"`);
  const ms = Number(m[1]) * DURATION_UNITS[(m[2] ?? 'ms') as keyof typeof DURATION_UNITS];
  if (ms < min) throw new InputError(`${name} must be at least ${min}ms, got ${raw}`);
  return ms;
}

/** Flag builders. Every value flag states a default (a value, or where the command takes it from). */
export const flag = {
  boolean(description: string, o: { short?: string } = {}): Flag<boolean> {
    return { kind: 'boolean', description, defaultText: 'off', short: o.short, read: (raw) => raw === true };
  },
  string<D extends Default<string>>(description: string, o: D & { placeholder: string }) {
    return valueFlag<string, D>(description, o.placeholder, o, (raw) => raw);
  },
  number<D extends Default<number>>(description: string, o: D & NumberRange) {
    return valueFlag<number, D>(description, o.placeholder ?? 'N', o, (raw, name) => parseNumber(raw, name, o));
  },
  choice<const C extends string, D extends Default<C>>(description: string, choices: readonly C[], o: D) {
    const parse = (raw: string, name: string): C => {
      if ((choices as readonly string[]).includes(raw)) return raw as C;
      throw new InputError(`${name} must be ${orList(choices)}, got "${raw}"`);
    };
    return valueFlag<C, D>(description, choices.join('|'), o, parse);
  },
  /** A comma-separated list; each item trimmed, empty items dropped. */
  list<D extends Default<string[]>>(description: string, o: D & { placeholder: string }) {
    const parse = (raw: string) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return valueFlag<string[], D>(description, o.placeholder, o, parse, (v) => v.join(','));
  },
  /** A duration (30s, 5m, 1h, 1d or milliseconds) read as milliseconds. */
  duration<D extends Default<number>>(description: string, o: D & { min?: number }) {
    const show = (ms: number) =>
      ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
    return valueFlag<number, D>(description, 'DURATION', o, (raw, name) => parseDuration(raw, name, o.min ?? 0), show);
  },
  /** A value with its own parser (which names the flag and what it expected when it throws). */
  custom<T, D extends Default<T>>(
    description: string,
    o: D & { placeholder: string; parse: (raw: string, name: string) => T; show?: (v: T) => string },
  ) {
    return valueFlag<T, D>(description, o.placeholder, o, o.parse, o.show);
  },
};

/** Reads every flag of `defs` from parseArgs values (keyed by flag name without dashes). */
export function readFlags<F extends FlagDefs>(
  defs: F,
  raw: Record<string, string | boolean | undefined>,
): FlagValues<F> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(defs)) {
    const name = flagName(key);
    out[key] = def.read(raw[name.slice(2)], name);
  }
  return out as FlagValues<F>;
}

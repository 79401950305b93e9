import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import type { CommandSpec } from './command.js';
import { didYouMean } from './did-you-mean.js';
import { type FlagDefs, type FlagValues, flagName, readFlags } from './flag.js';
import { type GlobalFlags, globalFlags } from './global-flags.js';

/** A command line read against a command's spec: typed global and command flags, positionals. */
export type CommandLine<F extends FlagDefs = FlagDefs> =
  | { help: true }
  | { help: false; globals: FlagValues<GlobalFlags>; flags: FlagValues<F>; positionals: string[] };

/** The global flags a command's help lists: all of them, `--db` only when it opens a database. */
export function commandGlobals(spec: CommandSpec): FlagDefs {
  const { db, ...rest } = globalFlags;
  return spec.opensDb ? globalFlags : rest;
}

/**
 * Parses `args` (after the command name) with node:util parseArgs. Unknown flags get a "did you
 * mean"; a bad value names the flag and what it expected. Every failure is one InputError (exit 2).
 */
export function parseCommandLine<F extends FlagDefs>(spec: CommandSpec<F>, args: string[]): CommandLine<F> {
  // every command accepts --db (the contract's "All accept"); one that opens no database ignores it
  const defs: FlagDefs = { ...globalFlags, ...spec.flags };
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [key, def] of Object.entries(defs))
    options[flagName(key).slice(2)] = { type: def.kind, ...(def.short ? { short: def.short } : {}) };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const given = tokens.flatMap((t) => (t.kind === 'option' ? [t] : []));
  if (given.some((t) => t.name === 'help')) return { help: true };
  const unknown = given.find((t) => !Object.hasOwn(options, t.name));
  if (unknown) throw new InputError(unknownFlagMessage(spec, unknown.rawName, Object.keys(options)));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (err) {
    // parseArgs's messages may span lines; the CLI's are one line
    const message = (err as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '');
    throw new InputError(`${message}; driftwatch ${spec.name} --help lists its options`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  return {
    help: false,
    globals: readFlags(globalFlags, raw),
    flags: readFlags(spec.flags, raw),
    positionals: parsed.positionals,
  };
}

function unknownFlagMessage(spec: CommandSpec, raw: string, known: string[]): string {
  const guess = raw.startsWith('--') ? didYouMean(raw.slice(2), known) : undefined;
  return guess
    ? `unknown option ${raw}; did you mean --${guess}?`
    : `unknown option ${raw}; driftwatch ${spec.name} --help lists its options`;
}

/** A command's typed flags from argv words (`['--task', 'support']`), as the CLI would parse them. */
export function parseFlags<F extends FlagDefs>(spec: CommandSpec<F>, args: string[]): FlagValues<F> {
  const line = parseCommandLine(spec, args);
  if (line.help) throw new InputError('--help is not a flag value');
  return line.flags;
}

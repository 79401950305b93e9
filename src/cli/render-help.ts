import type { CommandSpec } from './command.js';
import type { CommandEntry } from './commands/index.js';
import { type FlagDefs, flagName } from './flag.js';
import { globalFlags } from './global-flags.js';
import { commandGlobals } from './parse-command-line.js';

/** One line per flag: name and placeholder, description, [default]; `extra` rows are aligned with them. */
function renderFlags(defs: FlagDefs, extra: [string, string][] = []): string[] {
  const rows: [string, string][] = Object.entries(defs).map(([key, f]) => [
    `${flagName(key)}${f.short ? `, -${f.short}` : ''}${f.placeholder ? ` ${f.placeholder}` : ''}`,
    `${f.description} [default: ${f.defaultText}]`,
  ]);
  rows.push(...extra);
  const width = Math.max(...rows.map(([head]) => head.length));
  return rows.map(([head, text]) => `  ${head.padEnd(width)}  ${text}`);
}

function usageLine(spec: CommandSpec): string {
  return `driftwatch ${spec.name}${spec.positionals ? ` ${spec.positionals}` : ''} [options]`;
}

/** `driftwatch --help`: every command with its summary and flag names, then the global flags. */
export function renderHelp(entries: CommandEntry[]): string {
  const width = Math.max(...entries.map((e) => e.spec.name.length));
  const commands = entries.flatMap(({ spec }) => {
    const flags = Object.keys(spec.flags).map(flagName).join(' ');
    return [`  ${spec.name.padEnd(width)}  ${spec.summary}`, ...(flags ? [`  ${' '.repeat(width)}    ${flags}`] : [])];
  });
  return [
    'driftwatch: keeps cheap LLM pipelines honest',
    '',
    'Usage: driftwatch <command> [options]',
    '',
    'Commands (each with its flags):',
    ...commands,
    '',
    'Global options (every command; --db only for those that open a database):',
    ...renderFlags(globalFlags, [['--version, -V', 'print the version (driftwatch --version)']]),
    '',
    'On a terminal: progress and tables on stderr/stdout, colour unless NO_COLOR is set.',
    "Run driftwatch <command> --help for a command's options, each with its default.",
    'Exit codes: 0 done; 1 unexpected failure; 2 bad input, config or usage; 3 an escalation with',
    '--fail-on-escalation, or judge-calibrate --check found the judge moved; 4 the run could not do its job.',
    '',
  ].join('\n');
}

/** `driftwatch <command> --help`: usage, the command's flags and the global flags it takes. */
export function renderCommandHelp(spec: CommandSpec): string {
  const own = Object.keys(spec.flags).length > 0 ? ['Options:', ...renderFlags(spec.flags), ''] : [];
  return [
    `driftwatch ${spec.name}: ${spec.summary}`,
    '',
    `Usage: ${usageLine(spec)}`,
    '',
    ...own,
    'Global options:',
    ...renderFlags(commandGlobals(spec)),
    '',
  ].join('\n');
}

/** The flag reference in docs/CONTRACT.md: one table row per command flag, with its default. */
export function renderFlagReference(entries: CommandEntry[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = entries.flatMap(({ spec }) =>
    Object.entries(spec.flags).map(
      ([key, f]) =>
        `| \`${spec.name}\` | \`${cell(`${flagName(key)}${f.placeholder ? ` ${f.placeholder}` : ''}`)}\` | ${cell(f.description)} | ${cell(f.defaultText)} |`,
    ),
  );
  const globals = Object.entries(globalFlags).map(
    ([key, f]) =>
      `| ${key === 'db' ? '(commands that open a database)' : '(every command)'} | \`${cell(`${flagName(key)}${f.short ? `, -${f.short}` : ''}${f.placeholder ? ` ${f.placeholder}` : ''}`)}\` | ${cell(f.description)} | ${cell(f.defaultText)} |`,
  );
  return ['| command | flag | meaning | default |', '| --- | --- | --- | --- |', ...globals, ...rows].join('\n');
}

import { DriftwatchError } from '../errors.js';
import { commands } from './commands/index.js';
import { didYouMean } from './did-you-mean.js';
import type { MainIo } from './main-io.js';
import { packageVersion } from './package-version.js';
import { parseCommandLine } from './parse-command-line.js';
import { renderCommandHelp, renderHelp } from './render-help.js';

// `--version`, `--help` and a bad flag load only the registry (each command's light spec: name,
// summary, flags) and the help and flag parsing beside it. The command's module, and the run
// machinery with config, database and terminal output, load once the command line is valid.

export type { MainIo } from './main-io.js';

const defaultIo = (): MainIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTty: Boolean(process.stderr.isTTY),
  stdoutIsTty: Boolean(process.stdout.isTTY),
});

/** The CLI entry: reads argv; usage errors and help here, a command's errors in runCommand. Returns the exit code. */
export async function main(argv: string[], io: MainIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  const helpFor = name === 'help' ? commands.find((c) => c.spec.name === rest[0]) : undefined;
  if (helpFor) {
    io.stdout(renderCommandHelp(helpFor.spec));
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(renderHelp(commands));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`driftwatch ${packageVersion()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.spec.name === name);
  if (!entry) {
    const guess = didYouMean(
      name,
      commands.map((c) => c.spec.name),
    );
    const hint = guess ? `did you mean ${guess}?` : 'driftwatch --help lists the commands';
    io.stderr(`driftwatch: unknown command "${name}"; ${hint}\n`);
    return 2;
  }
  let line: ReturnType<typeof parseCommandLine>;
  try {
    line = parseCommandLine(entry.spec, rest);
  } catch (err) {
    if (!(err instanceof DriftwatchError)) throw err;
    io.stderr(`driftwatch ${name}: ${err.message}\n`);
    return err.exitCode;
  }
  if (line.help) {
    io.stdout(renderCommandHelp(entry.spec));
    return 0;
  }
  const [command, { runCommand }] = await Promise.all([entry.load(), import('./run-command.js')]);
  return runCommand(command, line, io);
}

import { DriftwatchError } from '../errors.js';
import type { Command, CommandResult } from './command.js';
import { type CliContext, createContext } from './create-context.js';
import type { MainIo } from './main-io.js';
import type { CommandLine } from './parse-command-line.js';
import { createStderrWriter } from './stderr-writer.js';

/** Runs a loaded command on a parsed command line: its output on stdout, its exit code returned. */
export async function runCommand(
  command: Command,
  line: Extract<CommandLine, { help: false }>,
  io: MainIo,
): Promise<number> {
  const name = command.spec.name;
  const stderr = createStderrWriter(io.stderr, { logsJson: command.spec.logsJson });
  const controller = new AbortController();
  let cli: CliContext;
  try {
    cli = createContext(command.spec, line.globals, io, { stderr, signal: controller.signal });
  } catch (err) {
    return reportFailure(name, err, io);
  }
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await command.run(cli.ctx, line.flags, line.positionals);
    stderr.status.end();
    io.stdout(renderResult(result, line.globals.json));
    return result.exitCode ?? 0;
  } catch (err) {
    stderr.status.end();
    return reportFailure(name, err, io);
  } finally {
    stderr.status.end();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await (await cli.openedDb())?.close();
  }
}

function renderResult(result: CommandResult, json: boolean): string {
  if (json) return `${JSON.stringify(result.json)}\n`;
  return result.text.endsWith('\n') || result.text === '' ? result.text : `${result.text}\n`;
}

/** One line on stderr; the exit code of a DriftwatchError, else 1 with the stack (a bug). */
function reportFailure(name: string, err: unknown, io: MainIo): number {
  if (err instanceof DriftwatchError) {
    io.stderr(`driftwatch ${name}: ${err.message}\n`);
    return err.exitCode;
  }
  io.stderr(`driftwatch ${name}: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
  return 1;
}

import { main } from '../../src/cli/main.js';

/** Runs the CLI in-process in `cwd`; returns exit code and captured output. */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: options.env ?? {},
    cwd: options.cwd,
    isTty: false,
  });
  return { code, stdout, stderr };
}

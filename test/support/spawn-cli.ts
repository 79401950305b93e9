import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent } from '../../bin/source-stamp.js';

const BIN = fileURLToPath(new URL('../../bin/driftwatch.js', import.meta.url));

/** A CLI child process whose stderr JSON lines are collected with their arrival time. */
export interface CliChild {
  child: ChildProcess;
  lines: (Record<string, unknown> & { receivedAt: number })[];
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Spawns `node bin/driftwatch.js ...args` in `cwd`; stderr JSON lines land in `lines`. */
export function spawnCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: CliChild['lines'] = [];
  let out = '';
  let buf = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push({ ...JSON.parse(line), receivedAt: Date.now() });
      } catch {
        lines.push({ event: 'text', text: line, receivedAt: Date.now() });
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, stdout: () => out, exited };
}

/**
 * How long a test waits for a condition before it gives up: a ceiling for a hung child, far above
 * what any condition takes on an idle machine, so a loaded one (3x slower and more) stays green.
 */
export const WAIT_CEILING_MS = 240_000;

/**
 * Polls `predicate` every 50 ms until it holds or `timeoutMs` passes (then throws with `what`, a
 * function when it should describe the state at the timeout: the child's lines by then).
 * Pass WAIT_CEILING_MS: the wait ends as soon as the condition holds, the number is only a ceiling.
 */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The repository root (for the bin's relative data). */
export const REPO_ROOT = path.resolve(path.dirname(BIN), '..');

/**
 * The env that makes spawnCli run the compiled CLI (dist/, what the published package runs) for a
 * test that must exercise it; throws when dist/ is not a build of src/ as it is (npm test builds first).
 */
export function compiledCliEnv(): NodeJS.ProcessEnv {
  if (!distIsCurrent(path.join(REPO_ROOT, 'src'), path.join(REPO_ROOT, 'dist', 'build-stamp.json')))
    throw new Error('dist/ is not a build of src/ as it is: run `npm run build` first (npm test does)');
  return { DRIFTWATCH_BIN: 'dist' };
}

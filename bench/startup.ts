// Whole-process start-up of the CLI as users run it: wall time and peak RSS from /usr/bin/time -v,
// median of N runs (min-max beside it), every alternative interleaved in each round so machine load
// hits them alike.
//   before   the tree at BENCH_BASE (default: the merge-base with main), built with its own build
//            script: its bin in a checkout (it always ran src/ through tsx there) and as installed
//            (no src/, so dist/)
//   after    this tree: its bin in this checkout (dist/ is current, so the bundle dist/cli-bundle/),
//            the unbundled dist/cli/main.js (what the bundle saves), and the source through tsx
//            (what the bin runs once src/ changed since the last build)
// Commands: `--version`, `--help`, `report` on PostgreSQL with one finished run (the whole command:
// start-up, connect, migrations check, queries, the report written), `judge --judge anthropic` with
// nothing pending (an SDK configured but never called). PostgreSQL from DRIFTWATCH_BENCH_PG_URL or
// DRIFTWATCH_TEST_PG_URL (a scratch database is created and dropped); without one, those two are skipped.
// Run: npx tsx bench/startup.ts   (STARTUP_RUNS=5; writes bench/results/startup.md)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { distIsCurrent } from '../bin/source-stamp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);

export interface Measure {
  wall: number;
  rssMb: number;
  code: number;
}

/** Wall time and peak RSS of one process, from /usr/bin/time -v. */
export function timeV(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Measure {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd, env, encoding: 'utf8' });
  const wallM = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rssM = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wallM || !rssM) throw new Error(`no /usr/bin/time output for ${argv.join(' ')}:\n${r.stderr}`);
  const wall = Number(wallM[1] ?? 0) * 3600 + Number(wallM[2]) * 60 + Number(wallM[3]);
  return { wall, rssMb: Number(rssM[1]) / 1024, code: r.status ?? -1 };
}

/** The tree at `base` (source, bin, migrations) in `dir`, on this checkout's node_modules. */
export function prepareBefore(dir: string, base: string, extra: string[] = []): void {
  const paths = ['src', 'bin', 'migrations', 'package.json', ...extra].join(' ');
  execFileSync('bash', [
    '-c',
    `git -C ${JSON.stringify(ROOT)} archive ${base} ${paths} | tar -x -C ${JSON.stringify(dir)}`,
  ]);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

/** `dir` as `npm install` lays the package out: bin/, dist/ and the runtime data, no src/. */
function installedLayout(tree: string, dir: string): void {
  mkdirSync(dir);
  cpSync(path.join(tree, 'bin'), path.join(dir, 'bin'), { recursive: true });
  for (const p of ['dist', 'migrations', 'templates', 'evals', 'datasets', 'package.json', 'node_modules'])
    symlinkSync(path.join(tree, p), path.join(dir, p));
}

/** A scratch PostgreSQL database with one finished nightly run; undefined without a server URL. */
async function preparePostgres(work: string): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const server = process.env.DRIFTWATCH_BENCH_PG_URL ?? process.env.DRIFTWATCH_TEST_PG_URL;
  if (!server) return undefined;
  const name = `dw_startup_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const bin = path.join(ROOT, 'bin/driftwatch.js');
  execFileSync('node', [bin, 'init'], { cwd: work, stdio: 'ignore' });
  execFileSync('node', [bin, 'nightly', '--db', url.href, '--quiet'], { cwd: work, stdio: 'ignore' });
  const drop = async () => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  return { url: url.href, drop };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (xs: number[], d: number) =>
  `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;

interface Alt {
  name: string;
  argv: (args: string[]) => string[];
}
interface Case {
  label: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** The ways to run the CLI, before and after, as argv builders. */
function alternatives(tmp: string, base: string): Alt[] {
  const before = path.join(tmp, 'before');
  mkdirSync(before);
  prepareBefore(before, base, ['scripts', 'tsconfig.json', 'tsconfig.build.json']);
  execFileSync('node', ['scripts/build.mjs'], { cwd: before, stdio: 'ignore' });
  installedLayout(before, path.join(tmp, 'before-installed'));
  if (!distIsCurrent(path.join(ROOT, 'src'), path.join(ROOT, 'dist/build-stamp.json')))
    execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  const runner = (name: string, lines: string[]) => {
    const file = path.join(tmp, name);
    writeFileSync(file, [...lines, 'process.exitCode = await main(process.argv.slice(2));'].join('\n'));
    return file;
  };
  // what bin/driftwatch.js does once src/ is newer than the build
  const sourceRunner = runner('source-runner.mjs', [
    `const { register } = await import(${JSON.stringify(path.join(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs'))});`,
    'register();',
    `const { main } = await import(${JSON.stringify(path.join(ROOT, 'src/cli/main.ts'))});`,
  ]);
  const unbundled = runner('dist-runner.mjs', [
    `const { main } = await import(${JSON.stringify(path.join(ROOT, 'dist/cli/main.js'))});`,
  ]);
  return [
    { name: 'before: checkout bin (src via tsx)', argv: (a) => ['node', path.join(before, 'bin/driftwatch.js'), ...a] },
    {
      name: 'before: installed (dist)',
      argv: (a) => ['node', path.join(tmp, 'before-installed/bin/driftwatch.js'), ...a],
    },
    {
      name: 'after: checkout bin (dist current: the bundle)',
      argv: (a) => ['node', path.join(ROOT, 'bin/driftwatch.js'), ...a],
    },
    { name: 'after: dist/cli/main.js, not bundled', argv: (a) => ['node', unbundled, ...a] },
    { name: 'after: src changed since build (tsx)', argv: (a) => ['node', sourceRunner, ...a] },
  ];
}

function cases(pgUrl: string | undefined): Case[] {
  const list: Case[] = [
    { label: '--version', args: ['--version'] },
    { label: '--help', args: ['--help'] },
  ];
  if (!pgUrl) return list;
  return [
    ...list,
    { label: 'report (PostgreSQL, one run)', args: ['report', '--db', pgUrl, '--quiet'] },
    {
      label: 'judge --judge anthropic (nothing pending)',
      args: ['judge', '--judge', 'anthropic', '--db', pgUrl, '--quiet'],
      // a key and an unreachable base URL: a call would fail, and none is made
      env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-bench-0000', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    },
  ];
}

/** Round-robin rounds of every floor, case and alternative; the load average after each round. */
function measure(alts: Alt[], list: Case[], work: string) {
  const floors: { name: string; argv: string[] }[] = [
    { name: 'node -e 0', argv: ['node', '-e', '0'] },
    {
      name: 'node + tsx register()',
      argv: [
        'node',
        '--input-type=module',
        '-e',
        `const { register } = await import(${JSON.stringify(path.join(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs'))}); register();`,
      ],
    },
  ];
  const results = new Map<string, Measure[]>();
  const push = (k: string, m: Measure) => results.set(k, [...(results.get(k) ?? []), m]);
  const load: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const f of floors) push(`| ${f.name} | - |`, timeV(f.argv, work));
    for (const c of list)
      for (const a of alts) {
        const m = timeV(a.argv(c.args), work, c.env);
        if (m.code !== 0) throw new Error(`${a.name} ${c.args.join(' ')} exited ${m.code}`);
        push(`| \`${c.label}\` | ${a.name} |`, m);
      }
    load.push(
      os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / '),
    );
  }
  return { results, load };
}

export async function runStartupBench(): Promise<string> {
  const base =
    process.env.BENCH_BASE ??
    execFileSync('git', ['-C', ROOT, 'merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dw-startup-'));
  const work = path.join(tmp, 'work');
  mkdirSync(work);
  const db = await preparePostgres(work);
  try {
    const alts = alternatives(tmp, base);
    const { results, load } = measure(alts, cases(db?.url), work);
    // under load even a bare `node -e 0` takes a large share: the CLI's own cost is the excess over it
    const floor = median(results.get('| node -e 0 | - |')!.map((m) => m.wall));
    const rows = [...results].map(([k, ms]) => {
      const walls = ms.map((m) => m.wall);
      const rss = ms.map((m) => m.rssMb);
      return `${k} ${fmt(walls, 2)} | ${(median(walls) - floor).toFixed(2)} | ${fmt(rss, 0)} |`;
    });
    return [
      `## Start-up: whole process, /usr/bin/time -v, median of ${RUNS} (min-max), interleaved`,
      '',
      `before = ${base.slice(0, 7)}; after = this tree (${execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()}${execFileSync('git', ['-C', ROOT, 'status', '--porcelain', 'src', 'bin'], { encoding: 'utf8' }).trim() ? ', uncommitted changes' : ''}). Node ${process.version}.`,
      `Load average (1/5/15 min) after each round: ${load.join('; ')} on ${os.cpus().length} cores.`,
      db ? '' : 'No PostgreSQL URL (DRIFTWATCH_BENCH_PG_URL / DRIFTWATCH_TEST_PG_URL): report and judge not measured.',
      '| command | how it runs | wall s, median (min-max) | median - node -e 0, s | peak RSS MB, median (min-max) |',
      '|---|---|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n');
  } finally {
    await db?.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const md = await runStartupBench();
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/startup.md'), md);
  console.log(md);
}

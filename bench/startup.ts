// Whole-process start-up of the CLI: wall time and peak RSS from /usr/bin/time -v, median of N runs
// (min-max beside it), alternatives interleaved in one run so machine load hits them alike.
//   before    the tree at BENCH_BASE (default: the merge-base with main), through its tsx bin
//   after     this tree, through bin/driftwatch.js (tsx)
//   compiled  this tree transpiled once with esbuild (no TypeScript compiled at start: what a dist/
//             build gets), run by plain node
//   node / node+tsx  bare `node -e 0` and tsx's own register(), the floor under each
// `report --help` is the start-up of `report` (its module graph, no database); `report` is the whole
// command on a prepared PGlite folder (one finished run), whose WASM open is most of it.
// Run: npx tsx bench/startup.ts   (STARTUP_RUNS=5)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);

interface Measure {
  wall: number;
  rssMb: number;
  code: number;
}

export function timeV(argv: string[], cwd: string): Measure {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { cwd, encoding: 'utf8' });
  const wallM = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rssM = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wallM || !rssM) throw new Error(`no /usr/bin/time output for ${argv.join(' ')}:\n${r.stderr}`);
  const wall = Number(wallM[1] ?? 0) * 3600 + Number(wallM[2]) * 60 + Number(wallM[3]);
  return { wall, rssMb: Number(rssM[1]) / 1024, code: r.status ?? -1 };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
const isSource = (p: string) => p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts');

export function prepareBefore(dir: string, base: string): void {
  execFileSync('bash', [
    '-c',
    `git -C ${JSON.stringify(ROOT)} archive ${base} src bin migrations package.json | tar -x -C ${JSON.stringify(dir)}`,
  ]);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

function prepareCompiled(dir: string): string {
  const all = walk(path.join(ROOT, 'src'));
  const files = all.filter(isSource);
  // data files beside the code (prices.json, ...) are read at run time
  for (const f of all.filter((p) => !p.endsWith('.ts'))) {
    const to = path.join(dir, path.relative(ROOT, f));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/esbuild'),
    [...files, `--outdir=${path.join(dir, 'src')}`, '--format=esm', '--platform=node', '--log-level=error'],
    { cwd: ROOT },
  );
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  symlinkSync(path.join(ROOT, 'migrations'), path.join(dir, 'migrations'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  const runner = path.join(dir, 'run.mjs');
  writeFileSync(
    runner,
    "const { main } = await import('./src/cli/main.js');\nprocess.exitCode = await main(process.argv.slice(2));\n",
  );
  return runner;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (xs: number[], d: number) =>
  `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;

export async function runStartupBench(): Promise<string> {
  const base =
    process.env.BENCH_BASE ??
    execFileSync('git', ['-C', ROOT, 'merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dw-startup-'));
  try {
    const beforeDir = path.join(tmp, 'before');
    const compiledDir = path.join(tmp, 'compiled');
    const work = path.join(tmp, 'work');
    for (const d of [beforeDir, compiledDir, work]) mkdirSync(d);
    prepareBefore(beforeDir, base);
    const compiledRunner = prepareCompiled(compiledDir);
    const after = path.join(ROOT, 'bin/driftwatch.js');
    // One finished run in a PGlite folder, so `report` does its whole job.
    execFileSync('node', [after, 'init'], { cwd: work, stdio: 'ignore' });
    execFileSync('node', [after, 'nightly', '--db', './db'], { cwd: work, stdio: 'ignore' });

    const alts: { name: string; argv: (args: string[]) => string[] }[] = [
      { name: 'before (tsx)', argv: (a) => ['node', path.join(beforeDir, 'bin/driftwatch.js'), ...a] },
      { name: 'after (tsx)', argv: (a) => ['node', after, ...a] },
      { name: 'after, compiled', argv: (a) => ['node', compiledRunner, ...a] },
    ];
    const cases: { label: string; args: string[] }[] = [
      { label: '--version', args: ['--version'] },
      { label: '--help', args: ['--help'] },
      { label: 'report --help (start-up)', args: ['report', '--help'] },
      { label: 'report (PGlite, one run)', args: ['report', '--db', './db'] },
    ];
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
      for (const f of floors) push(`floor|${f.name}`, timeV(f.argv, work));
      for (const c of cases)
        for (const a of alts) {
          // `-V` is new; the old tree does not know it, so only --version is compared.
          const m = timeV(a.argv(c.args), work);
          if (m.code !== 0) throw new Error(`${a.name} ${c.args.join(' ')} exited ${m.code}`);
          push(`${c.label}|${a.name}`, m);
        }
      load.push(
        os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' / '),
      );
    }
    const rows = [
      '| command | build | wall s, median (min-max) | peak RSS MB, median (min-max) |',
      '|---|---|---:|---:|',
    ];
    for (const f of floors) {
      const ms = results.get(`floor|${f.name}`)!;
      rows.push(
        `| ${f.name} | - | ${fmt(
          ms.map((m) => m.wall),
          2,
        )} | ${fmt(
          ms.map((m) => m.rssMb),
          0,
        )} |`,
      );
    }
    for (const c of cases)
      for (const a of alts) {
        const ms = results.get(`${c.label}|${a.name}`)!;
        rows.push(
          `| \`${c.label}\` | ${a.name} | ${fmt(
            ms.map((m) => m.wall),
            2,
          )} | ${fmt(
            ms.map((m) => m.rssMb),
            0,
          )} |`,
        );
      }
    return [
      `## Start-up: whole process, /usr/bin/time -v, median of ${RUNS} (interleaved)`,
      '',
      `before = ${base.slice(0, 7)} (every command imported by cli/main.ts); after = lazy command registry, db/config/recovery modules loaded on first use.`,
      `Load average (1/5/15 min) after each round: ${load.join('; ')} on ${os.cpus().length} cores.`,
      '',
      ...rows,
      '',
    ].join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(await runStartupBench());
}
